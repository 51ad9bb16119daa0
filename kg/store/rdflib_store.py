"""rdflib's own in-memory store and SPARQL engine (``rdflib``): the reference baseline, slow on joins."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .interface import QuadStore, Solutions
from .terms import from_ox, to_ox


class RdflibQuads(QuadStore):
    """rdflib's own in-memory store and SPARQL engine: the reference baseline (slow on joins)."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def quads_for_pattern(self, s=None, p=None, o=None, g=None):
        pattern = tuple(None if t is None else from_ox(t, exact=True) for t in (s, p, o))
        context = None if g is None else self.dataset.graph(from_ox(g))
        for s_, p_, o_, g_ in self.dataset.quads((*pattern, context)):
            name = getattr(g_, "identifier", g_)
            graph = ox.DefaultGraph() if name is None or name == DATASET_DEFAULT_GRAPH_ID else to_ox(name)
            yield ox.Quad(to_ox(s_), to_ox(p_), to_ox(o_), graph)

    def extend(self, quads):
        self.dataset.addN((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object, exact=True), self._context(q))
                          for q in quads)

    def _context(self, quad):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else from_ox(quad.graph_name)
        return self.dataset.graph(name or DATASET_DEFAULT_GRAPH_ID)

    def __contains__(self, quad):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else from_ox(quad.graph_name)
        return (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object, exact=True),
                name or DATASET_DEFAULT_GRAPH_ID) in self.dataset

    def __len__(self):
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    def query(self, text, substitutions=None, union=True):
        bindings = {name: from_ox(term, exact=True) for name, term in (substitutions or {}).items()}
        self.dataset.default_union = union
        answer = self.dataset.query(text, initBindings=bindings)
        if answer.type == "ASK":
            return bool(answer.askAnswer)
        if answer.type == "SELECT":
            variables = [str(v) for v in answer.vars]
            return Solutions(variables, [[None if t is None else to_ox(t) for t in row] for row in answer])
        return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in answer.graph]


def create(location: None = None) -> RdflibQuads:
    """An empty rdflib Dataset (the ``rdflib`` backend); queries run over the union of its graphs."""
    return RdflibQuads(Dataset(default_union=True))
