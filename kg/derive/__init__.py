"""Derive: the CONSTRUCT rules (:mod:`.rules`), OWL reasoning (:mod:`.reasoning`), SHACL validation (:mod:`.validation`).

``kg.derive`` names both this package and the function :func:`kg.derive.rules.derive`; the
package is callable for the reason given in :mod:`kg.build` (``kg.derive(graph, rules)``).
"""

import sys
import types


class _DerivePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        """Run CONSTRUCT rules to a fixed point: :func:`kg.derive.rules.derive`."""
        from .rules import derive

        return derive(*args, **kwargs)


sys.modules[__name__].__class__ = _DerivePackage
