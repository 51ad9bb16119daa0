"""The exports' text kept between builds, block by block, so an unchanged part is not serialized again.

Each of the large exports is a header, then one block per subject (Turtle, the OWL 2 DL
RDF/XML, the flat JSON-LD) or per named graph (TriG), in sorted order, then a footer; a
block is a function of its lines alone (the sorted N-Triples or N-Quads lines of that
subject or graph), given the format and, for JSON-LD, the context. So a block is kept under
the digest of its lines, and the next build serializes only the blocks whose lines are new:
adding one article to 400 changes a few hundred of the 100,000s of subjects. What each block
is made of, and that the blocks put together are byte for byte the export written whole, is
in docs/stores.md ("Exports reused block by block"); ``tests/test_exports.py`` checks it.

The cache is ROOT/.kg-cache/exports/NAME.blocks: one marshal file per export, written by this
process only, holding the blocks of the last build (older ones are dropped) and the identity
of what else they depend on (pyoxigraph's version, the code of the writers, the context). A
different identity reads as an empty cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

#: The modules whose code decides what a block holds.
_CODE = ("formats.py", "blocks.py", "vocab.py")


def _code_version() -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"pyoxigraph {version('pyoxigraph')}".encode())
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
    return digest.hexdigest()


def digest(lines: bytes) -> bytes:
    """The key of a block: a digest of its lines (16 bytes: collisions are out of reach at any corpus size)."""
    return hashlib.blake2b(lines, digest_size=16).digest()


class BlockCache:
    """The blocks of one export from the last build, by the digest of their lines.

    :param folder: ROOT/.kg-cache, or None for no cache (every block is made, nothing kept).
    :param name: the export's name (one file per export).
    :param identity: what the blocks depend on besides their lines (e.g. the JSON-LD context).
    """

    def __init__(self, folder: str | Path | None, name: str, identity: str = ""):
        self.path = Path(folder) / "exports" / f"{name}.blocks" if folder is not None else None
        self.identity = _code_version() + "\0" + identity if folder is not None else identity
        self.old: dict[bytes, object] = {}
        self.kept: dict[bytes, object] = {}
        if self.path is not None and self.path.is_file():
            try:
                saved_identity, blocks = marshal.loads(self.path.read_bytes())
            except (EOFError, ValueError, TypeError):  # a file cut short: rebuilt below
                saved_identity, blocks = None, {}
            if saved_identity == self.identity:
                self.old = blocks

    def blocks(self, groups: Sequence[bytes], make: Callable[[list[bytes]], list]) -> list:
        """The block of each group of lines (their text): kept from the last build, else made by ``make``.

        :param make: makes the blocks of a list of groups (all at once: one serializer call).
        """
        keys = [digest(group) for group in groups]
        out = [self.old.get(key) for key in keys]
        missing = [i for i, block in enumerate(out) if block is None]
        if missing:
            for i, block in zip(missing, make([groups[i] for i in missing]), strict=True):
                out[i] = block
        self.kept = dict(zip(keys, out))
        return out

    def get(self, key: bytes):
        """The block the last build kept under ``key`` (:func:`digest`), or None."""
        return self.old.get(key)

    def keep(self, key: bytes, block) -> None:
        """Keep ``block`` under ``key`` for the next build (:meth:`blocks` keeps what it returns)."""
        self.kept[key] = block

    def save(self) -> None:
        """Keep this build's blocks (only these) for the next one, written through a temporary file."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps((self.identity, self.kept)))
        temporary.replace(self.path)
