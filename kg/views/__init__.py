"""Interactive HTML views of the negotiation: pyvis Networks, rendered offline.

Each view is built by a function that takes a built graph and returns a pyvis ``Network``
(a :class:`~kg.views.network.View`); :func:`render_views` renders them all, with the index
page and the ontology documentation, as HTML strings; :func:`write_views` writes them.
Names are imported on first use, so importing :mod:`kg.views` costs nothing.
"""

from importlib import import_module

__all__ = ["mismatch_map", "actor_network", "leverage_map", "timeline", "explorer",
           "index_page", "ontology_page", "render_views", "write_views", "View", "VIEWS"]

_HOMES = {
    "mismatch_map": "kg.views.mismatch",
    "actor_network": "kg.views.actors",
    "leverage_map": "kg.views.leverage",
    "timeline": "kg.views.timeline",
    "explorer": "kg.views.explorer",
    "index_page": "kg.views.site",
    "ontology_page": "kg.views.site",
    "render_views": "kg.views.site",
    "write_views": "kg.views.site",
    "VIEWS": "kg.views.site",
    "View": "kg.views.network",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'kg.views' has no attribute {name!r}")
