"""Reading and writing the files a review changes: round-trip YAML, atomic replacement, project paths.

Facts and mentions files are edited with ruamel.yaml's round-trip mode, so comments, key order
and flow style stay as they were; only the decided fact changes. Every write goes to a
temporary file beside the target and is renamed over it (``os.replace``), so a reader never
sees half a file and a crash leaves the old one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

from ..errors import InputError, ReviewError


def round_trip():
    """A ruamel.yaml round-trip loader/dumper that keeps long quotes on one line."""
    from ruamel.yaml import YAML

    yaml_rt = YAML()
    yaml_rt.width = 10_000  # never fold a quote: the loader compares it with the text verbatim
    yaml_rt.preserve_quotes = True
    return yaml_rt


def load_yaml(path: Path):
    """The round-trip document of a YAML file.

    :raises InputError: naming the file when it cannot be read or parsed.
    """
    from ruamel.yaml import YAMLError

    try:
        return round_trip().load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc


def dump_yaml(data) -> str:
    """The text of a round-trip document."""
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def plain(value):
    """A round-trip value as plain dicts, lists and scalars (for comparing and for JSON)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def fingerprint(fact) -> str:
    """A short hash of a fact's content: how a decision names the fact it is about, so that a
    fact moved by another decision is still found, and a fact changed meanwhile is not decided blind."""
    text = json.dumps(plain(fact), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename (a temporary file in the same folder first).

    :raises ReviewError: naming the file when it cannot be written.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ReviewError(f"{path}: cannot write: {exc.strerror}") from exc


def inside(root: Path, path: Path) -> Path:
    """``path`` resolved, when it lies inside the project ``root``; the review never reads or
    writes anywhere else (a symlink out of the project is refused too).

    :raises ReviewError: when it lies outside.
    """
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ReviewError(f"{path}: outside the project {root}; the review touches nothing there")
    return resolved
