"""Query results as text: a terminal table, CSV, TSV, SPARQL JSON and XML, Markdown; graphs in any RDF format.

CSV and TSV follow "SPARQL 1.1 Query Results CSV and TSV Formats"; JSON follows "SPARQL 1.1
Query Results JSON Format"; XML the "SPARQL Query Results XML Format". Tables and Markdown
show labels instead of IRIs by default. The formats themselves are those of
:data:`kg.formats.FORMATS`; :func:`write_results` is the writer it names for results.
"""

from __future__ import annotations

import csv
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import DATASET, FORMATS, GRAPH, RESULTS, Format, names
from ..formats import compact as _prefixed
from ..store import KnowledgeGraph
from ..vocab import OX_RDFS_LABEL, XSD_STRING
from .query import Result

#: The formats of SELECT and ASK results, and of CONSTRUCT and DESCRIBE graphs (from the registry).
TABLE_FORMATS = names(RESULTS)
GRAPH_FORMATS = names(GRAPH, DATASET)
CELL_WIDTH = 80  # a table of no set width cuts longer cells; every other format keeps them whole
MIN_COLUMN = 6  # the narrowest a column of a table fitted to a width gets ("Iran", "Unit…")


def labels_for(graph: KnowledgeGraph, result: Result) -> dict[str, str]:
    """The rdfs:label of every IRI in the result (see :func:`labels_of`)."""
    return labels_of(graph, (term.value for row in result.rows for term in row if isinstance(term, ox.NamedNode)))


def labels_of(graph: KnowledgeGraph, iris) -> dict[str, str]:
    """The rdfs:label of each IRI that has one: an English or plain one, the first in order.

    :param iris: IRIs (strings), repeats allowed.
    """
    found = {}
    for iri in dict.fromkeys(iris):
        names = sorted((q.object for q in graph.quads_for_pattern(ox.NamedNode(iri), OX_RDFS_LABEL, None, None)),
                       key=lambda t: (t.language not in (None, "en"), t.value))
        if names:
            found[iri] = names[0].value
    return found


def shown_names(graph: KnowledgeGraph, iris) -> dict[str, str]:
    """What a table shows for each IRI: its label, else ``prefix:name``, else ``<IRI>`` (the
    terminal table and the endpoint's query page alike)."""
    iris = list(dict.fromkeys(iris))
    labels = labels_of(graph, iris)
    return {iri: labels.get(iri) or compact(iri) for iri in iris}


def compact(iri: str) -> str:
    """An IRI as prefix:name with the fixed prefixes, when one fits."""
    return _prefixed(iri) or f"<{iri}>"


def _display(term, labels: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return labels.get(term.value, compact(term.value)) if labels is not None else compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def format_result(result: Result, fmt: str = "table", labels: dict[str, str] | None = None,
                  width: int | None = None) -> str:
    """Render a query result.

    :param fmt: for SELECT and ASK one of :data:`TABLE_FORMATS`; for CONSTRUCT/DESCRIBE one
        of :data:`GRAPH_FORMATS` (``table`` means Turtle there).
    :param labels: IRI -> label, used by ``table`` and ``markdown`` (None: show IRIs).
    :param width: for ``table``: the characters a line may take (a terminal's width), the widest
        columns cut to fit; 0: no limit and no cell cut; None: no limit, cells cut at :data:`CELL_WIDTH`.
    """
    if result.triples is not None:
        name = "turtle" if fmt == "table" else fmt
        if name not in GRAPH_FORMATS:
            raise ValueError(f"a graph result is written as one of {', '.join(GRAPH_FORMATS)}, not {fmt}")
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in result.triples]
        return FORMATS[name].write(quads).decode("utf-8")
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"results are written as one of {', '.join(TABLE_FORMATS)}, not {fmt}")
    return FORMATS[fmt].write(result, labels, width)


def write_results(fmt: Format, result: Result, labels: dict[str, str] | None = None, width: int | None = None) -> str:
    """The writer of every results format of :data:`kg.formats.FORMATS`: a SELECT or ASK answer as text
    (``width``: see :func:`format_result`)."""
    fmt = fmt.name
    if fmt == "xml":
        return results_xml(result.variables, result.rows, result.boolean)
    if result.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([[_csv_value(t) for t in row] for row in result.rows])
        return out.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    cells = [[_display(t, labels) for t in row] for row in result.rows]
    if fmt == "markdown":
        def md(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
        lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    return _table(result.variables, cells, width) + f"({len(cells)} row{'s' if len(cells) != 1 else ''})\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """Columns two spaces apart, one line per row (white space in a cell folded to one space)."""
    rows = [[" ".join(c.split()) for c in row] for row in rows]
    if width is None:
        rows = [[_cut(c, CELL_WIDTH) for c in row] for row in rows]
    natural = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths = _fit(natural, width) if width else natural
    headers = [_cut(h, w) for h, w in zip(headers, widths, strict=True)]
    rows = [[_cut(c, w) for c, w in zip(row, widths, strict=True)] for row in rows]
    line = "  ".join("-" * w for w in widths)
    text = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(), line]
    text += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(text) + "\n"


def _fit(natural: list[int], width: int) -> list[int]:
    """Column widths whose line fits ``width``: the columns narrower than an equal share keep
    their width, and the wider ones share the rest equally (the leftmost get the odd characters).
    Never below :data:`MIN_COLUMN`, so a table of many columns may still be wider than ``width``."""
    available = width - 2 * (len(natural) - 1)
    if sum(natural) <= available:
        return natural
    widths, wide = list(natural), set(range(len(natural)))
    for i in sorted(wide, key=lambda i: natural[i]):
        if natural[i] * len(wide) > available:
            break
        wide.discard(i)
        available -= natural[i]
    share, odd = divmod(max(available, 0), len(wide))
    for rank, i in enumerate(sorted(wide)):
        widths[i] = max(MIN_COLUMN, share + (rank < odd))
    return widths


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    # Characters XML 1.0 cannot carry are replaced, so the document always parses.
    return escape(_XML_INVALID.sub("\ufffd", text))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    if term.datatype != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(term.value)}</literal>"


def results_xml(variables: list[str] | None, rows: list[list] | None, boolean: bool | None = None) -> str:
    """SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables or []]
    out.append("</head>")
    if boolean is not None:
        out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in rows or []:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"
