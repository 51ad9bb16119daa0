"""Build: stable IRIs, provenance, one named graph per document (:mod:`.builder`).

``kg.build`` names both this package and the function :func:`kg.build.builder.build`. Python
binds an imported subpackage to its name in the parent package, so a plain re-export of the
function would be replaced by the package as soon as anything imported ``kg.build.builder``;
instead the package itself is callable, and calling it builds (``kg.build(".")``).
"""

import sys
import types


class _BuildPackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        """Build the knowledge graph of a project: :func:`kg.build.builder.build`."""
        from .builder import build

        return build(*args, **kwargs)


sys.modules[__name__].__class__ = _BuildPackage
