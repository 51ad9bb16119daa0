"""SPARQL text: syntax checking with a line and column a user can act on, and parameter binding."""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import InputError


class QuerySyntaxError(InputError):
    """A SPARQL query or rule does not parse; the message names file, line and column."""


def check_syntax(text: str, where: str) -> None:
    """Parse ``text`` with rdflib's SPARQL parser.

    :param where: the file name (or ``<inline>``) to name in the message.
    :raises QuerySyntaxError: naming ``where``, line and column.
    """
    error = _syntax_error(text)
    if error is not None:
        raise QuerySyntaxError(f"{where}{error}")


@lru_cache(maxsize=1024)
def _syntax_error(text: str) -> str | None:
    # Cached: rdflib's parser takes 20-90 ms over a named query, more than Oxigraph takes
    # to answer most of them, and a server or a benchmark runs the same text again and again.
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseBaseException as exc:
        return f":{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}: {exc.line.strip()!r}"
    except Exception as exc:  # rdflib raises plain exceptions for undefined prefixes and the like
        return f": SPARQL error: {exc}"
    return None


# Comments, strings and IRIs, skipped whole so that a brace or WHERE inside them is not
# taken for syntax; braces; and the keyword WHERE (not part of a prefixed name).
_TOKENS = re.compile(r"""
    (?P<skip>\#[^\n]*
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'
      | <[^<>"{}|^`\\\s]*>)
    | (?P<open>\{) | (?P<close>\}) | (?P<where>(?<![\w:?$])WHERE(?![\w:-]))
    """, re.VERBOSE | re.IGNORECASE)


def bind_values(text: str, substitutions: dict[str, object]) -> str:
    """Bind variables by a ``VALUES`` block at the start of the query's outer WHERE group.

    The terms are written in N-Triples form (``str`` of a pyoxigraph term), never pasted
    user text. Oxigraph plans a query without looking at its ``substitutions``, so a
    bound parameter only filters at the end: a VALUES block is planned as a one-row
    relation to start from (causal-chain at 1M triples: 1.0 s with substitutions, 0.001 s
    this way).

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
    return text[:position] + " " + block + text[position:]


def _where_group(text: str) -> int | None:
    """Offset just inside the ``{`` of the outer WHERE group (WHERE is optional in a SELECT).

    None when there is none, and for ``CONSTRUCT WHERE { … }``, whose group is its template.
    """
    depth, after_where, first_group = 0, False, None
    for token in _TOKENS.finditer(text):
        kind = token.lastgroup
        if kind == "open":
            if depth == 0 and after_where:
                return token.end() if first_group is not None or query_form(text) != "CONSTRUCT" else None
            if depth == 0 and first_group is None:
                first_group = token.end()
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "where" and depth == 0:
            after_where = True
    return first_group if query_form(text) in ("SELECT", "ASK") else None


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first word after the prologue."""
    body = re.sub(r"(?im)^\s*(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>|#.*)\s*", "", text).lstrip()
    return re.match(r"\w*", body).group().upper()
