"""The store behind the rdflib API: Oxigraph in memory by default, on disk, rdflib's own, or a SPARQL endpoint.

:mod:`.interface` says what a store must do (:class:`QuadStore`) and holds the built graph
(:class:`KnowledgeGraph`); :mod:`.registry` finds a backend by the name in a store spec;
the backends are :mod:`.oxigraph` (``memory``, ``oxigraph:PATH``), :mod:`.rdflib_store`
(``rdflib``) and :mod:`.sparql` (``sparql:URL``), each imported only when used.
:mod:`.terms` converts terms between rdflib and pyoxigraph.
"""

from .interface import KnowledgeGraph, QuadStore, Solutions
from .registry import BACKENDS, STORES, Backend, StoreSpec, load_graph, memory_copy, open_graph, open_store, parse_spec, register
from .terms import from_ox, graph_name, merged_graph, to_ox, to_ox_quad

__all__ = ["KnowledgeGraph", "QuadStore", "Solutions", "BACKENDS", "STORES", "Backend", "StoreSpec", "load_graph",
           "memory_copy", "open_graph", "open_store", "parse_spec", "register", "from_ox", "graph_name",
           "merged_graph", "to_ox", "to_ox_quad"]
