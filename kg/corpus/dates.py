"""Dates at the precision a source gives: a year, a year and month, or a full day."""

import datetime
import re

from rdflib import Literal
from rdflib.namespace import XSD

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(value: str) -> Literal:
    """Turn ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into an xsd:gYear, gYearMonth or date literal.

    :param value: the date as written in a header or a facts file.
    :returns: a typed literal that keeps exactly the given precision.
    :raises ValueError: when the text is not one of the three forms or names no real date.
    """
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if day is not None:
        datetime.date(int(year), int(month), int(day))  # raises ValueError on 2025-02-30
        return Literal(value, datatype=XSD.date)
    if month is not None:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"{value!r} has no month {month}")
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)
