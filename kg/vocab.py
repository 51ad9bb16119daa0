"""IRI constants: the namespaces of the public vocabulary and the fixed export prefixes."""

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

IMP = Namespace("https://w3id.org/impasse/ontology#")
ID = Namespace("https://w3id.org/impasse/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_IRI = "https://w3id.org/impasse/ontology"

#: Named graphs that do not belong to one document.
GRAPH_ONTOLOGY = ID["graph/ontology"]
GRAPH_REFERENCE = ID["graph/reference"]
#: What the CONSTRUCT rules (queries/rules/) and the reasoner add: never hand-written.
GRAPH_DERIVED = ID["graph/derived"]


def document_iri(slug: str):
    """The IRI of the document with this corpus slug."""
    return ID[f"document/{slug}"]


def document_graph(slug: str):
    """The named graph that holds the facts of one document."""
    return ID[f"graph/{slug}"]


#: Every export binds exactly these prefixes, in this order (kglab's fixed-namespace idea).
PREFIXES: dict[str, str] = {
    "imp": str(IMP),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "sem": str(SEM),
    "vann": str(VANN),
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "wd": str(WD),
}

#: The path segments of Impasse IRIs (``id:<segment>/<key>``). Each gets a prefix of its own,
#: because Turtle forbids "/" in the local part of a prefixed name: ``actor:iran``.
ID_SEGMENTS = (
    "actor", "place", "issue", "agreement", "scheme", "leverage-kind", "barrier-kind",
    "document", "graph", "round", "event", "position", "leverage", "affiliation",
    "provision", "causal-link", "frame", "barrier", "prospect", "assessment", "evidence",
    "mismatch", "bargaining-space",
)
PREFIXES.update({segment: f"{ID}{segment}/" for segment in ID_SEGMENTS})


# pyoxigraph terms of the W3C vocabularies the code reads and writes directly (the store, the
# exports, the results, the endpoint and the views all take pyoxigraph terms): defined once here.
OX_RDF_TYPE = ox.NamedNode(str(RDF.type))
OX_RDFS_LABEL = ox.NamedNode(str(RDFS.label))
OX_RDFS_COMMENT = ox.NamedNode(str(RDFS.comment))
OX_RDFS_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
OX_SKOS_ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))
XSD_STRING = ox.NamedNode(str(XSD.string))
XSD_INTEGER = ox.NamedNode(str(XSD.integer))
XSD_BOOLEAN = ox.NamedNode(str(XSD.boolean))
