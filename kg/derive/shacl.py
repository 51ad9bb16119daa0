"""SHACL validation on the engine: the shapes compiled into SPARQL queries that Oxigraph runs once.

pySHACL checks a graph node by node in Python, about 0.9 s per document here: most of a
build of a hundred documents (docs/rules.md, "Validation at scale"). The constraints the
project's shapes use are few, and each is a query over all focus nodes at once:

* targets: ``sh:targetClass`` (instances of the class and of its subclasses, through the
  data graph's ``rdfs:subClassOf``, SHACL 1.0 section 2.1.3.3);
* on a property shape with a predicate path or an ``sh:inversePath``: ``sh:minCount``,
  ``sh:maxCount``, ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` /
  ``sh:qualifiedMaxCount``, ``sh:lessThanOrEquals``, ``sh:disjoint``;
* on every value node (of a property shape, or the focus node of a node shape):
  ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:pattern``, ``sh:minLength``,
  ``sh:maxLength``, ``sh:minInclusive`` and the other three ranges, ``sh:or`` and ``sh:xone``
  of shapes made of these;
* ``sh:node`` and ``sh:property`` (the shape referred to, checked on the same focus nodes);
* SPARQL-based constraints (``sh:sparql`` with ``sh:select`` and ``sh:prefixes``), with
  ``{?var}`` in messages filled in.

A shapes file that uses anything else raises :class:`UnsupportedShapes`, and
:func:`kg.derive.validation.validate` hands it to pySHACL. The results are those pySHACL
gives, with the same focus node, path, value, constraint component, source shape and
messages: ``tests/derive/test_shacl.py`` compares the two on the corpus and on broken graphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from ..errors import KgError
from ..vocab import SH

#: Where the focus nodes of each shape are written in the store the queries run on
#: (a private predicate: the store is a copy made for the validation).
_FOCUS = "urn:x-impasse:shacl:focus"
#: Stands for the classes at or below a class in a compiled query; :func:`run` lists them from
#: the data graph (a path ``rdf:type/rdfs:subClassOf*`` per value node took most of the time).
_BELOW = "\x00below:{}\x00"
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))

#: Datatypes whose lexical forms SPARQL can check with a cast (pySHACL reports an ill-typed
#: literal, "x"^^xsd:integer, as a datatype violation).
_CASTABLE = {str(XSD[name]) for name in ("integer", "decimal", "boolean", "date", "dateTime", "double", "float")}
_NODE_KINDS = {
    str(SH.IRI): "!isIRI({v})", str(SH.BlankNode): "!isBlank({v})", str(SH.Literal): "!isLiteral({v})",
    str(SH.BlankNodeOrIRI): "isLiteral({v})", str(SH.BlankNodeOrLiteral): "isIRI({v})",
    str(SH.IRIOrLiteral): "isBlank({v})",
}
_RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
#: What a shape may say that this module understands (anything else in sh: is unsupported).
_DESCRIPTIVE = {SH.name, SH.description, SH.message, SH.order, SH.group, SH.defaultValue, SH.severity,
                SH.deactivated, SH.targetClass, SH.property, SH.path, SH.declare, SH.prefixes}
_VALUE_PARAMETERS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.minLength,
                     SH.maxLength, SH["or"], SH.xone, *_RANGES}
_PROPERTY_PARAMETERS = {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount,
                        SH.qualifiedMaxCount, SH.lessThanOrEquals, SH.disjoint}
_NODE_PARAMETERS = {SH.node, SH.sparql}


class UnsupportedShapes(KgError):
    """The shapes use a SHACL feature that this module does not compile (pySHACL checks them instead)."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL reports it (SHACL 1.0 section 3.6.2)."""

    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    component: str  # the local name under sh:, e.g. "MinCountConstraintComponent"
    shape: URIRef | BNode  # sh:sourceShape, a node of the shapes graph
    messages: tuple[Literal, ...]
    path: URIRef | BNode | None = None  # sh:resultPath, a node of the shapes graph
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None
    constraint: URIRef | BNode | None = None  # sh:sourceConstraint (SPARQL-based constraints)
    severity: URIRef = SH.Violation


@dataclass
class _Check:
    """A query and how to read its rows into results."""

    query: str
    read: object  # callable(row) -> list[Result]


@dataclass
class Compiled:
    """The shapes as queries: the focus nodes of each targeted shape, then the checks."""

    targets: dict[str, list[str]] = field(default_factory=dict)  # focus key -> target classes
    checks: list[tuple[str, _Check]] = field(default_factory=list)  # (focus key, check)
    #: sh:node: (focus key of the referring shape, focus key the shape referred to is checked
    #: under, referring shape, its messages)
    nested: list[tuple[str, str, object, tuple]] = field(default_factory=list)


def _term(node) -> str:
    """A shapes-graph term as SPARQL text."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShapes(f"a blank node where a constant is expected: {node!r}")


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


class _Compiler:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self.out = Compiled()
        self._keys: dict = {}

    # -- reading the shapes graph ------------------------------------------------------------
    def _list(self, node) -> list:
        return list(Collection(self.g, node))

    def _one(self, shape, predicate):
        values = list(self.g.objects(shape, predicate))
        if len(values) > 1:
            raise UnsupportedShapes(f"{shape}: more than one {predicate}")
        return values[0] if values else None

    def _messages(self, shape) -> tuple[Literal, ...]:
        return tuple(sorted((m for m in self.g.objects(shape, SH.message) if isinstance(m, Literal)), key=str))

    def _check_vocabulary(self, shape, allowed: set) -> None:
        for predicate in set(self.g.predicates(shape)):
            if str(predicate).startswith(str(SH)) and predicate not in allowed:
                raise UnsupportedShapes(f"{shape}: {predicate} is not supported by the SPARQL validation")
        severity = self._one(shape, SH.severity)
        if severity not in (None, SH.Violation):
            raise UnsupportedShapes(f"{shape}: only sh:Violation is supported as sh:severity")

    def _path(self, shape) -> str:
        path = self._one(shape, SH.path)
        if isinstance(path, URIRef):
            return f"<{path}>"
        inverse = self._one(path, SH.inversePath) if isinstance(path, BNode) else None
        if isinstance(inverse, URIRef) and len(set(self.g.predicate_objects(path))) == 1:
            return f"^<{inverse}>"
        raise UnsupportedShapes(f"{shape}: only predicate paths and sh:inversePath are supported")

    def _key(self, shapes: tuple) -> str:
        return self._keys.setdefault(shapes, f"urn:x-impasse:shacl:focus:{len(self._keys)}")

    # -- value constraints as expressions that never raise a SPARQL error ----------------------
    def violations(self, shape, v: str) -> list[tuple[str, object, str]]:
        """(component, parameter node, SPARQL boolean that is true when value ``v`` violates it)."""
        g, found = self.g, []
        for cls in g.objects(shape, SH["class"]):
            if not isinstance(cls, URIRef):
                raise UnsupportedShapes(f"{shape}: sh:class must name a class")
            found.append(("ClassConstraintComponent", cls,
                          f"NOT EXISTS {{ VALUES ?type {{ {_BELOW.format(cls)} }} {v} <{RDF.type}> ?type }}"))
        for datatype in g.objects(shape, SH.datatype):
            if datatype == RDF.langString:
                ok = f'isLiteral({v}) && LANG({v}) != ""'
            elif datatype == XSD.string:
                ok = f'isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) = <{XSD.string}>'
            else:
                ok = f"isLiteral({v}) && DATATYPE({v}) = <{datatype}>"
                if str(datatype) in _CASTABLE:
                    ok += f" && STRLEN(STR(<{datatype}>(STR({v})))) >= 0"
            found.append(("DatatypeConstraintComponent", datatype, f"!COALESCE({ok}, false)"))
        for kind in g.objects(shape, SH.nodeKind):
            if str(kind) not in _NODE_KINDS:
                raise UnsupportedShapes(f"{shape}: unknown sh:nodeKind {kind}")
            found.append(("NodeKindConstraintComponent", kind, _NODE_KINDS[str(kind)].format(v=v)))
        for members in g.objects(shape, SH["in"]):
            same = " || ".join(f"sameTerm({v}, {_term(m)})" for m in self._list(members)) or "false"
            found.append(("InConstraintComponent", members, f"!({same})"))
        for pattern in g.objects(shape, SH.pattern):
            flags = self._one(shape, SH.flags)
            regex = f"REGEX(STR({v}), {_string(str(pattern))}" + (f", {_string(str(flags))})" if flags else ")")
            found.append(("PatternConstraintComponent", pattern, f"(isBlank({v}) || !COALESCE({regex}, false))"))
        for predicate, comparison, name in ((SH.minLength, "<", "MinLength"), (SH.maxLength, ">", "MaxLength")):
            for length in g.objects(shape, predicate):
                found.append((f"{name}ConstraintComponent", length,
                              f"(isBlank({v}) || COALESCE(STRLEN(STR({v})) {comparison} {int(length)}, true))"))
        for predicate, operator in _RANGES.items():
            for bound in g.objects(shape, predicate):
                name = str(predicate)[len(str(SH)):]
                found.append((f"{name[0].upper()}{name[1:]}ConstraintComponent", bound,
                              f"!COALESCE({v} {operator} {_term(bound)}, false)"))
        for logic, name in ((SH["or"], "OrConstraintComponent"), (SH.xone, "XoneConstraintComponent")):
            for members in g.objects(shape, logic):
                conforms = [self.conforms(m, v) for m in self._list(members)]
                if logic == SH["or"]:
                    found.append((name, members, f"!({' || '.join(conforms) or 'false'})"))
                else:
                    count = " + ".join(f"IF({c}, 1, 0)" for c in conforms) or "0"
                    found.append((name, members, f"({count}) != 1"))
        return found

    def conforms(self, shape, v: str) -> str:
        """A SPARQL boolean: value ``v`` conforms to ``shape``, a shape of value constraints only."""
        self._check_vocabulary(shape, _DESCRIPTIVE | _VALUE_PARAMETERS)
        if self._one(shape, SH.path) is not None or any(self.g.objects(shape, SH.property)):
            raise UnsupportedShapes(f"{shape}: property shapes inside sh:or, sh:xone or sh:qualifiedValueShape")
        parts = [expression for _, _, expression in self.violations(shape, v)]
        return f"!({' || '.join(parts)})" if parts else "true"

    # -- shapes ------------------------------------------------------------------------------
    def node_shape(self, shape, key: str, seen: tuple = ()) -> None:
        """The checks of a node shape on the focus nodes under ``key``."""
        if shape in seen:
            raise UnsupportedShapes(f"{shape}: recursive shapes")
        if self._one(shape, SH.deactivated) == Literal(True):
            return
        self._check_vocabulary(shape, _DESCRIPTIVE | _VALUE_PARAMETERS | _NODE_PARAMETERS)
        if self._one(shape, SH.path) is not None:
            raise UnsupportedShapes(f"{shape}: a property shape used as a node shape")
        messages = self._messages(shape)
        checks = self.violations(shape, "?this")
        if checks:
            query = (f"SELECT ?this {' '.join(f'?f{i}' for i in range(len(checks)))} WHERE {{ ?this <{_FOCUS}> <{key}> "
                     + " ".join(f"BIND({e} AS ?f{i})" for i, (_, _, e) in enumerate(checks))
                     + f" FILTER({' || '.join(f'?f{i}' for i in range(len(checks)))}) }}")
            components = [c for c, _, _ in checks]

            def read(row, components=components, shape=shape, messages=messages):
                return [Result(row[0], component, shape, messages, value=row[0])
                        for i, component in enumerate(components) if _true(row[i + 1])]

            self.out.checks.append((key, _Check(query, read)))
        for nested in self.g.objects(shape, SH.node):
            inner = self._key(("node", key, nested))
            self.out.nested.append((key, inner, shape, messages))
            self.node_shape(nested, inner, seen + (shape,))
        for constraint in self.g.objects(shape, SH.sparql):
            self.sparql(shape, constraint, key, messages)
        for prop in self.g.objects(shape, SH.property):
            self.property_shape(prop, key)

    def property_shape(self, shape, key: str) -> None:
        """The checks of a property shape on the focus nodes under ``key``."""
        if self._one(shape, SH.deactivated) == Literal(True):
            return
        self._check_vocabulary(shape, _DESCRIPTIVE | _VALUE_PARAMETERS | _PROPERTY_PARAMETERS)
        path, messages, g = self._path(shape), self._messages(shape), self.g
        result_path = self._one(shape, SH.path)
        focus = f"?this <{_FOCUS}> <{key}> ."

        def counted(component, test):
            def read(row):
                return [Result(row[0], component, shape, messages, path=result_path)] if test(int(row[1].value)) else []
            return read

        for predicate, component, op in ((SH.minCount, "MinCountConstraintComponent", "<"),
                                         (SH.maxCount, "MaxCountConstraintComponent", ">")):
            for bound in g.objects(shape, predicate):
                optional = "OPTIONAL " if op == "<" else ""
                query = (f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} {optional}{{ ?this {path} ?v }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {op} {int(bound)})")
                self.out.checks.append((key, _Check(query, counted(component, lambda n: True))))
        qualified = self._one(shape, SH.qualifiedValueShape)
        if qualified is not None:
            conforms = self.conforms(qualified, "?v")
            query = (f"SELECT ?this (SUM(IF(BOUND(?v) && {conforms}, 1, 0)) AS ?n) WHERE {{ {focus} "
                     f"OPTIONAL {{ ?this {path} ?v }} }} GROUP BY ?this")
            least, most = self._one(shape, SH.qualifiedMinCount), self._one(shape, SH.qualifiedMaxCount)
            if least is not None:
                self.out.checks.append((key, _Check(query, counted(
                    "QualifiedMinCountConstraintComponent", lambda n, least=int(least): n < least))))
            if most is not None:
                self.out.checks.append((key, _Check(query, counted(
                    "QualifiedMaxCountConstraintComponent", lambda n, most=int(most): n > most))))
        for other in g.objects(shape, SH.lessThanOrEquals):
            query = (f"SELECT DISTINCT ?this ?v WHERE {{ {focus} ?this {path} ?v . ?this {_term(other)} ?o "
                     f"FILTER(!COALESCE(?v <= ?o, false)) }}")
            self.out.checks.append((key, _Check(query, self._valued("LessThanOrEqualsConstraintComponent", shape,
                                                                  messages, result_path))))
        for other in g.objects(shape, SH.disjoint):
            query = f"SELECT DISTINCT ?this ?v WHERE {{ {focus} ?this {path} ?v . ?this {_term(other)} ?v }}"
            self.out.checks.append((key, _Check(query, self._valued("DisjointConstraintComponent", shape,
                                                                  messages, result_path))))
        checks = self.violations(shape, "?v")
        if checks:
            binds = " ".join(f"BIND({e} AS ?f{i})" for i, (_, _, e) in enumerate(checks))
            query = (f"SELECT ?this ?v {' '.join(f'?f{i}' for i in range(len(checks)))} WHERE {{ {focus} "
                     f"?this {path} ?v {binds} FILTER({' || '.join(f'?f{i}' for i in range(len(checks)))}) }}")
            components = [c for c, _, _ in checks]

            def read(row, components=components):
                return [Result(row[0], component, shape, messages, path=result_path, value=row[1])
                        for i, component in enumerate(components) if _true(row[i + 2])]

            self.out.checks.append((key, _Check(query, read)))

    @staticmethod
    def _valued(component, shape, messages, path):
        return lambda row: [Result(row[0], component, shape, messages, path=path, value=row[1])]

    def sparql(self, shape, constraint, key: str, messages: tuple[Literal, ...]) -> None:
        """A SPARQL-based constraint (SHACL 1.0 section 5): its SELECT, joined with the focus nodes.

        pySHACL binds ``$this`` to each focus node before it runs the query; joining the query's
        solutions with the focus nodes gives the same rows when ``$this`` is bound by a pattern of
        the query, as in every constraint here.
        """
        g = self.g
        for predicate in set(g.predicates(constraint)):
            if str(predicate).startswith(str(SH)) and predicate not in {SH.select, SH.message, SH.prefixes,
                                                                        SH.deactivated, SH.severity}:
                raise UnsupportedShapes(f"{shape}: {predicate} in a SPARQL-based constraint")
        if self._one(constraint, SH.deactivated) == Literal(True):
            return
        select = str(self._one(constraint, SH.select))
        if re.search(r"\$(?!this\b)\w+|\bGRAPH\b|\bMINUS\b|\bSERVICE\b|\bVALUES\b", select, re.IGNORECASE):
            raise UnsupportedShapes(f"{shape}: a SPARQL-based constraint with pre-bound variables other than $this, "
                                    "or GRAPH, MINUS, SERVICE or VALUES")
        prefixes = "".join(f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
                           for p in g.objects(constraint, SH.prefixes) for d in g.objects(p, SH.declare))
        extra = self._messages(constraint)
        variables = sorted(set(re.findall(r"[?$](\w+)", select)) - {"this"})
        body = select.replace("$this", "?this")
        query = (f"{prefixes}SELECT DISTINCT ?this {' '.join('?' + v for v in variables)} WHERE {{ ?this <{_FOCUS}> <{key}> . "
                 f"{{ {body} }} }}")

        def read(row):
            bound = {name: row[i + 1] for i, name in enumerate(variables) if row[i + 1] is not None}
            value = bound.get("value", row[0])
            fill = {"this": row[0], **bound}
            texts = [Literal(_fill(str(m), fill)) for m in messages + tuple(m for m in extra if m not in messages)]
            return [Result(row[0], "SPARQLConstraintComponent", shape, tuple(texts), value=value,
                           constraint=constraint)]

        self.out.checks.append((key, _Check(query, read)))


def _true(term) -> bool:
    return term is not None and term.value == "true"


def _fill(message: str, values: dict) -> str:
    """``{?var}`` and ``{$var}`` replaced by the lexical form of the value, as pySHACL does."""
    for name, term in values.items():
        message = re.sub("{{[?$]{}}}".format(name), str(term.value).replace("\\", "\\\\"), message)
    return message


def compile_shapes(shapes: Graph) -> Compiled:
    """The shapes graph as queries.

    :raises UnsupportedShapes: naming the shape and the feature it uses that is not compiled.
    """
    compiler = _Compiler(shapes)
    for shape in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        for predicate in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            if any(shapes.objects(shape, predicate)):
                raise UnsupportedShapes(f"{shape}: {predicate}")
        key = compiler._key(("target", shape))
        compiler.out.targets[key] = sorted(str(c) for c in shapes.objects(shape, SH.targetClass))
        if compiler._one(shape, SH.path) is not None:
            compiler.property_shape(shape, key)
        else:
            compiler.node_shape(shape, key)
    for shape in shapes.subjects(None, None):
        for predicate in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            if any(shapes.objects(shape, predicate)):
                raise UnsupportedShapes(f"{shape}: {predicate} (only sh:targetClass is supported)")
        if (shape, RDF.type, RDFS.Class) in shapes and (shape, RDF.type, SH.NodeShape) in shapes:
            raise UnsupportedShapes(f"{shape}: implicit class targets")
    return compiler.out


def run(compiled: Compiled, store: ox.Store) -> list[Result]:
    """Every violation of the compiled shapes in ``store`` (its default graph: the data with the
    ontology's ``rdfs:subClassOf``), in a stable order. The focus nodes are written into the
    store under a private predicate, and taken out before it returns."""
    try:
        return _run(compiled, store)
    finally:
        store.update(f"DELETE WHERE {{ ?this <{_FOCUS}> ?key }}")


def _run(compiled: Compiled, store: ox.Store) -> list[Result]:
    for key, targets in compiled.targets.items():
        values = " ".join(sorted({f"<{c}>" for target in targets for c in _below(store, target)}))
        store.update(f"INSERT {{ ?this <{_FOCUS}> <{key}> }} WHERE {{ "
                     f"SELECT DISTINCT ?this WHERE {{ VALUES ?k {{ {values} }} ?this <{RDF.type}> ?k }} }}")
    for outer, inner, _, _ in compiled.nested:  # in order: a shape's focus nodes are known before it names another
        store.update(f"INSERT {{ ?this <{_FOCUS}> <{inner}> }} WHERE {{ ?this <{_FOCUS}> <{outer}> }}")
    def classes(match) -> str:
        return " ".join(f"<{c}>" for c in _below(store, match.group(1)))

    by_key: dict[str, list[Result]] = {}
    for key, check in compiled.checks:
        for row in store.query(re.sub("\x00below:(.*?)\x00", classes, check.query)):
            by_key.setdefault(key, []).extend(check.read(row))
    inner_keys = {inner for _, inner, _, _ in compiled.nested}
    results = [r for key, found in by_key.items() if key not in inner_keys for r in found]
    for _, inner, referrer, messages in compiled.nested:
        failing = {r.focus for r in by_key.get(inner, [])}
        results.extend(Result(node, "NodeConstraintComponent", referrer, messages, value=node) for node in failing)
    return sorted(set(results), key=_order)


def _below(store: ox.Store, cls: str) -> list[str]:
    """``cls`` and the IRIs below it by ``rdfs:subClassOf`` in ``store``, sorted."""
    found, todo = {cls}, [cls]
    while todo:
        for quad in store.quads_for_pattern(None, _SUBCLASS_OF, ox.NamedNode(todo.pop())):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value not in found:
                found.add(quad.subject.value)
                todo.append(quad.subject.value)
    return sorted(found)


def _order(result: Result) -> tuple:
    return (str(result.focus), result.component, str(result.path), str(result.value), str(result.shape),
            [str(m) for m in result.messages])
