"""SPARQL text: syntax checking with a line and column a user can act on, the one tokenizer, and parameter binding.

:data:`TOKENS` is the only reader of SPARQL text by hand in Impasse: :func:`bind_values`
uses it to find the group to bind in. It guards nothing: the endpoint's guard reads the query
with a parser (:func:`kg.server.protocol.check_query`), since a hand-written tokenizer that
misreads one escape lets a clause through unseen.
:func:`bind` is the one way parameters are bound to a query, on every store and on the
endpoint alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import InputError


class QuerySyntaxError(InputError):
    """A SPARQL query or rule does not parse; the message names file, line and column."""


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a query stops parsing and why: the one description of a syntax error that
    ``kg query``, the rules and the endpoint (and so its query page) all show.

    :param line: 1-based line of the query text.
    :param column: 1-based column in that line (it may be one past its end).
    :param reason: what the parser expected, in one line.
    :param source: the text of that line.
    """

    line: int
    column: int
    reason: str
    source: str

    def render(self, where: str | None = None) -> str:
        """``where:line:column: SPARQL syntax error: reason`` (without ``where``: ``SPARQL syntax
        error at line L, column C: reason``), then the line and a caret under the column."""
        head = (f"{where}:{self.line}:{self.column}: SPARQL syntax error: {self.reason}" if where is not None
                else f"SPARQL syntax error at line {self.line}, column {self.column}: {self.reason}")
        return f"{head}\n{_caret(self.source, self.column)}"


#: The widest excerpt of a line shown above a caret (a one-line query may be thousands of characters).
EXCERPT = 76


def _caret(source: str, column: int) -> str:
    """The line (an excerpt around the column when it is long) and a ``^`` under the column,
    each indented by two spaces; tabs before the column are kept so the caret stays aligned."""
    start = 0
    if len(source) > EXCERPT:
        start = max(0, min(column - 1 - EXCERPT // 2, len(source) - EXCERPT))
    shown = source[start:start + EXCERPT]
    before = "".join("\t" if c == "\t" else " " for c in shown[:column - 1 - start])
    lead = "…" if start else ""
    tail = "…" if start + EXCERPT < len(source) else ""
    return f"  {lead}{shown}{tail}\n  {' ' * len(lead)}{before}^"


def parse_error_problem(exc) -> SyntaxProblem:
    """The :class:`SyntaxProblem` of rdflib's parser error (a pyparsing ``ParseBaseException``).

    pyparsing reads the query with its tabs expanded, so the line shown is its own.
    """
    return SyntaxProblem(exc.lineno, exc.col, " ".join(str(exc.msg).split()), exc.line)


_ENGINE_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
#: The reasons Oxigraph gives in words (``SELECT * is not authorized with GROUP BY``), found in
#: its list of expected tokens, where they sit among keywords and character classes.
_ENGINE_REASON = re.compile(r"(?:^|, )([A-Z][A-Za-z]*(?: [^\s,\[\]]+){2,})(?=,|$)")


def engine_error_problem(message: str, text: str) -> SyntaxProblem | None:
    """The :class:`SyntaxProblem` of Oxigraph's ``SyntaxError`` message (``error at L:C: …``),
    for a query rdflib's parser accepts and Oxigraph refuses; None when the message has no position.

    Oxigraph lists every token it would have accepted, character classes included; what is
    kept is a reason it gives in words, else the keywords and punctuation it expected.
    """
    found = _ENGINE_ERROR.match(message)
    if found is None:
        return None
    line, column, raw = int(found.group(1)), int(found.group(2)), " ".join(found.group(3).split())
    expected = raw.removeprefix("expected one of ").removeprefix("expected ")
    reasons = _ENGINE_REASON.findall(expected)
    if reasons:
        reason = "; ".join(reasons)
    else:
        tokens = [t for t in re.split(r", (?![^\[]*\])", expected) if t and not t.startswith("[")]
        reason = f"expected {' or '.join(tokens)}" if tokens else "not valid SPARQL 1.1 here (Oxigraph)"
    lines = text.splitlines() or [""]
    return SyntaxProblem(line, column, reason, lines[min(line, len(lines)) - 1])


def check_syntax(text: str, where: str) -> None:
    """Parse ``text`` with rdflib's SPARQL parser.

    :param where: the file name (or ``<inline>``) to name in the message.
    :raises QuerySyntaxError: naming ``where``, line and column, with a caret under the column.
    """
    problem = _syntax_problem(text)
    if isinstance(problem, SyntaxProblem):
        raise QuerySyntaxError(problem.render(where))
    if problem is not None:
        raise QuerySyntaxError(f"{where}: SPARQL error: {problem}")


@lru_cache(maxsize=1024)
def _syntax_problem(text: str) -> SyntaxProblem | str | None:
    # Cached: rdflib's parser takes 20-90 ms over a named query, more than Oxigraph takes
    # to answer most of them, and a server or a benchmark runs the same text again and again.
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseBaseException as exc:
        return parse_error_problem(exc)
    except Exception as exc:  # rdflib raises plain exceptions for undefined prefixes and the like
        return str(exc)
    return None


# Comments, strings and IRIs (SPARQL 1.1 grammar, §19.8: IRIREF, STRING_LITERAL*, comments to
# the end of the line) are skipped whole, so that a brace or a keyword inside them is not taken
# for syntax, and so are the escapes of a prefixed name's local part (PN_LOCAL_ESC: ``ex:a\#``
# is a name, not the start of a comment that would hide what follows on the line); then group
# braces, the other brackets, and the keyword WHERE (not part of a prefixed name or a variable).
TOKENS = re.compile(r"""
    (?P<skip>\#[^\n\r]*
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*'
      | <[^<>"{}|^`\\\x00-\x20]*>
      | \\[_~.\-!$&'()*+,;=/?#@%])
    | (?P<open>\{) | (?P<close>\}) | (?P<bracket>[(\[]) | (?P<unbracket>[)\]])
    | (?P<keyword>(?<![\w:?$])WHERE(?![\w:-]))
    """, re.VERBOSE | re.IGNORECASE | re.DOTALL)


def keyword(token: re.Match) -> str | None:
    """WHERE for a keyword token, else None."""
    return token.group().upper() if token.lastgroup == "keyword" else None


def bind(text: str, substitutions: dict[str, object] | None) -> tuple[str, dict[str, object]]:
    """Bind parameters: ``(text, late)``, the query with a ``VALUES`` block (:func:`bind_values`)
    and what is left for the engine's own substitutions (only for a query with no group of its
    own to bind in, ``CONSTRUCT WHERE``).

    :param substitutions: variable name -> pyoxigraph term.
    """
    if not substitutions:
        return text, {}
    try:
        return bind_values(text, substitutions), {}
    except QuerySyntaxError:  # no group of its own to bind in (CONSTRUCT WHERE): bind late
        return text, dict(substitutions)


def bind_values(text: str, substitutions: dict[str, object]) -> str:
    """Bind variables by a ``VALUES`` block at the start of the query's outer WHERE group.

    The terms are written in N-Triples form (``str`` of a pyoxigraph term), never pasted
    user text. Oxigraph plans a query without looking at its ``substitutions``, so a
    bound parameter only filters at the end: a VALUES block is planned as a one-row
    relation to start from (causal-chain at 1M triples: 1.0 s with substitutions, 0.001 s
    this way).

    When the outer group holds nothing but a subquery that passes the variables through
    unchanged (see :func:`_passes_through`), the block goes inside it, and so on down: the
    named queries deduplicate in a subquery before they sort, and a block left outside
    would join only after the subquery had found every row.

    :raises QuerySyntaxError: when the query has no WHERE group to bind in.
    """
    names = list(substitutions)
    if not names:
        return text
    block = ("VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(str(substitutions[n]) for n in names) + ") } ")
    position = _where_group(text)
    if position is None:
        raise QuerySyntaxError("cannot bind parameters: the query has no WHERE group")
    while (inner := _sole_subquery(text, position)) is not None:
        start, end = inner
        if not _passes_through(text[start:end], names):
            break
        position = start + _where_group(text[start:end])
    return text[:position] + " " + block + text[position:]


def _sole_subquery(text: str, position: int) -> tuple[int, int] | None:
    """The span of the subquery (SELECT to its last modifier) when the group opened just
    before ``position`` holds that subquery and nothing else; else None."""
    opening = next((t for t in TOKENS.finditer(text, position) if not _is_comment(t)), None)
    if opening is None or opening.lastgroup != "open" or not _blank(text[position:opening.start()]):
        return None
    closing = _closing(text, opening.end())
    if closing is None:
        return None
    following = next((t for t in TOKENS.finditer(text, closing.end()) if not _is_comment(t)), None)
    if following is None or following.lastgroup != "close" or not _blank(text[closing.end():following.start()]):
        return None
    if not re.match(r"\s*SELECT\b", text[opening.end():], re.IGNORECASE):
        return None
    return opening.end(), closing.start()


#: A subquery's projection of plain variables (or ``*``) up to its WHERE group.
_PLAIN_PROJECTION = re.compile(r"""\s*SELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?
    (?P<variables>\*|[?$]\w+(?:\s+[?$]\w+)*)\s*(?:WHERE\s*)?\{""", re.IGNORECASE | re.VERBOSE)


def _passes_through(subquery: str, names: list[str]) -> bool:
    """Whether binding ``names`` inside ``subquery`` gives the rows that binding them
    outside gives: it projects them as plain variables (or ``*``) and has no solution
    modifier but ORDER BY (a GROUP BY would count, a LIMIT or OFFSET cut, before the
    binding; an expression in the projection could rename or compute the variable)."""
    projection = _PLAIN_PROJECTION.match(subquery)
    if projection is None:
        return False
    variables = projection.group("variables")
    if variables != "*" and not set(names) <= {v[1:] for v in variables.split()}:
        return False
    closing = _closing(subquery, projection.end())
    if closing is None:
        return False
    modifiers = TOKENS.sub(lambda t: "" if _is_comment(t) else t.group(), subquery[closing.end():])
    ordered_only = re.fullmatch(r"\s*(ORDER\s+BY\b[^{}]*)?", modifiers, re.IGNORECASE)
    return bool(ordered_only) and not re.search(r"\b(LIMIT|OFFSET)\b", modifiers, re.IGNORECASE)


def _closing(text: str, position: int) -> re.Match | None:
    """The ``}`` that closes the group opened just before ``position`` (None: unbalanced)."""
    depth = 1
    for token in TOKENS.finditer(text, position):
        if token.lastgroup in ("open", "close"):
            depth += 1 if token.lastgroup == "open" else -1
            if depth == 0:
                return token
    return None


def _is_comment(token: re.Match) -> bool:
    return token.group().startswith("#")


def _blank(fragment: str) -> bool:
    """Whether ``fragment`` holds nothing but white space and comments."""
    return not TOKENS.sub(lambda t: "" if _is_comment(t) else t.group(), fragment).strip()


def _where_group(text: str) -> int | None:
    """Offset just inside the ``{`` of the outer WHERE group (WHERE is optional in a SELECT).

    None when there is none, and for ``CONSTRUCT WHERE { … }``, whose group is its template.
    """
    depth, after_where, first_group = 0, False, None
    for token in TOKENS.finditer(text):
        kind = token.lastgroup
        if kind == "open":
            if depth == 0 and after_where:
                return token.end() if first_group is not None or query_form(text) != "CONSTRUCT" else None
            if depth == 0 and first_group is None:
                first_group = token.end()
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "keyword" and keyword(token) == "WHERE" and depth == 0:
            after_where = True
    return first_group if query_form(text) in ("SELECT", "ASK") else None


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first word after the prologue."""
    body = re.sub(r"(?im)^\s*(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>|#.*)\s*", "", text).lstrip()
    return re.match(r"\w*", body).group().upper()
