"""SPARQL text: syntax checking with a line and column a user can act on."""

from __future__ import annotations

from .errors import InputError


class QuerySyntaxError(InputError):
    """A SPARQL query or rule does not parse; the message names file, line and column."""


def check_syntax(text: str, where: str) -> None:
    """Parse ``text`` with rdflib's SPARQL parser.

    :param where: the file name (or ``<inline>``) to name in the message.
    :raises QuerySyntaxError: naming ``where``, line and column.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseBaseException as exc:
        raise QuerySyntaxError(f"{where}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}: {exc.line.strip()!r}") from exc
    except Exception as exc:  # rdflib raises plain exceptions for undefined prefixes and the like
        raise QuerySyntaxError(f"{where}: SPARQL error: {exc}") from exc
