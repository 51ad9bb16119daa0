"""What a build keeps for the next one, in ROOT/.kg-cache: each document's checked facts and quads.

A document's quads are a function of its text and header, its facts, the reference data its
keys resolve against, the labels and minted entities of other documents that it names, and
the code that builds them. Each entry is named by the SHA-256 of all of that (the code by
the source of the modules that read the corpus and mint the quads), so an entry is reused
only for exactly the inputs it was made from, and a change anywhere misses rather than
serves stale quads. The cache is the project's own scratch space: never committed
(.gitignore), safe to delete, written by this process only (entries are pickles and N-Quads
it wrote itself).
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import version
from pathlib import Path

#: The modules whose code decides what a document's facts and quads are.
_CODE = ("build/builder.py", "build/cache.py", "corpus/facts.py", "corpus/factkinds.py", "corpus/documents.py",
         "corpus/mentions.py", "corpus/dates.py", "corpus/reference.py", "vocab.py", "store/terms.py")


def code_version() -> str:
    """A digest of the source of the modules that make a document's facts and quads, and of rdflib's version."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"rdflib {version('rdflib')} pyoxigraph {version('pyoxigraph')}".encode())
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
    return digest.hexdigest()


class BuildCache:
    """Entries by kind (``facts``, ``quads``) and key, under one folder.

    :param folder: ROOT/.kg-cache (created on the first write).
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.code = code_version()
        self.reused: list[str] = []  # the documents whose quads came from the cache, in build order

    def key(self, *parts: str | bytes) -> str:
        """The SHA-256 of the code version and ``parts`` (each length-prefixed: no two lists collide)."""
        digest = hashlib.sha256(self.code.encode())
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}"

    def get(self, kind: str, key: str) -> bytes | None:
        """The entry, or None."""
        try:
            return self._path(kind, key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Write an entry atomically (a temporary file renamed): a reader never sees half of one."""
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
