"""The ``kg`` command: a thin layer that parses arguments and calls the library.

One module per command family: :mod:`.init`, :mod:`.build` (build, views), :mod:`.graph` (reason, export,
validate), :mod:`.query` (queries, query), :mod:`.add`, :mod:`.review`, :mod:`.serve`, :mod:`.staging`;
:mod:`.base` holds the group and the shared options. This package is the only place that
names a flag. Library modules are imported inside each command, so ``kg --help`` answers fast.
Exit codes: 0 success, 1 the graph does not conform (SHACL) or is inconsistent (OWL),
2 an input or runtime error.
"""

from . import add, build, graph, init, query, review, serve, staging  # noqa: F401 - each registers its commands
from .base import cli
from .graph import EXPORT_FORMATS

__all__ = ["cli", "EXPORT_FORMATS"]
