"""Dates and quantities, normalised at the precision the text gives.

"June 2025" → ``2025-06``; "June 12, 2025" / "12 June 2025" → ``2025-06-12``; "in 2018" →
``2018``; "in June" → ``2025-06`` only when a publication date in 2025 anchors it (the last
June up to it, or the next when the clause speaks of the future); "on Saturday", "this coming
Saturday" → a day only when the publication date anchors it (the Saturday on or before
publication, or after it when the date's clause speaks of the future: a word of the future in
the sentence, unless the verb the date belongs to is in the past). A bare "June 12"
is a day too when the publication date anchors it: news writes "on May 16" for the last May 16,
or for the next one when the clause speaks of the future or the day is at most a month ahead;
without a publication date it takes no year, which would invent precision. "60%" / "60
percent" → 60, ``percent``.
"""

from __future__ import annotations

import datetime
import re

from ..model import Chunk, Context, DateMention, Quantity
from ..registry import component
from ._parse import clause_chain

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"((?:19|20)\d\d)"
_DAY = r"([0-3]?\d)(?:st|nd|rd|th)?"
PATTERNS = (
    ("dates.day-month-year", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("dates.day-month-year", re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b")),
    ("dates.month-year", re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b")),
    ("dates.year", re.compile(rf"\b(?:in|since|by|until|till|from|of|during|early|late|mid-?)\s+{_YEAR}\b(?![%\d-])", re.I)),
    ("dates.year", re.compile(rf"(?<![\d.,$€£-]){_YEAR}(?=[-\u2013 ](?:war|deal|agreement|accord|talks|strikes?|elections?|sanctions)\b)")),
)
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
# A weekday alone is a date too: wire copy writes "held talks Saturday", "Sunday's meeting";
# but "Good Friday", "Super Tuesday" and their like are no day of this week.
_WEEKDAY = re.compile(r"\b(?:(?:on|last|this|next|(?:this\s+)?coming)\s+)?"
                      + "".join(rf"(?<!\b{w} )" for w in ("Good", "Black", "Super", "Ash", "Bloody", "Holy", "Palm",
                                                          "Easter", "Cyber", "Maundy", "Shrove", "Fat"))
                      + r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_FUTURE = re.compile(r"\b(will|would|shall|is set to|are set to|scheduled|plans? to|expected to|next|due to (?:meet|take place|resume|begin|start|be held|hold|convene|travel|visit|arrive))\b", re.I)


_MONTH_ALONE = re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|by|from|during|[Ll]ast|[Ee]arly|[Ll]ate|[Mm]id-?)\s+{_MONTH}\b")
_DAY_MONTH = (re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?![,.]?\s*\d)"), re.compile(rf"\b{_DAY}\s+{_MONTH}\b"))


#: How far ahead of publication a bare day may be read without a word of the future.
_SOON = datetime.timedelta(days=31)


def _future(span) -> bool:
    """The date's clause speaks of the future: a word of the future in the sentence, unless the
    verb the date belongs to is in the past ("Russia and Ukraine held talks in Istanbul on May 16,
    agreeing that each side would draft …" speaks of the last May 16)."""
    for t in clause_chain(span.root)[1:]:
        if t.pos_ not in {"VERB", "AUX"}:
            continue
        auxiliaries = [c for c in t.children if c.dep_ in {"aux", "auxpass"}]
        if any(a.lower_ in {"will", "shall", "'ll"} for a in auxiliaries):
            return True
        if t.tag_ == "VBD" and not auxiliaries or any(a.tag_ == "VBD" for a in auxiliaries):
            return False
        if t.tag_ in {"VBZ", "VBP"} or any(a.tag_ in {"VBZ", "VBP", "MD"} for a in auxiliaries):
            break  # a present or a modal: the words of the sentence tell
        # a participle or an infinitive ("Speaking … on Wednesday, X said"): the verb above tells
    return bool(_FUTURE.search(span.sent.text))


def _anchored(published: datetime.date, future: bool, first: str, second: str) -> datetime.date | None:
    """The day and month given, in the year the publication date and the tense point to."""
    month, day = (second, first) if first[0].isdigit() else (first, second)
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(datetime.date(year, MONTHS[month.lower()], int(day)))
        except ValueError:  # "February 30"
            continue
    ahead = [d for d in options if d >= published and (future or d - published <= _SOON)]
    past = [d for d in options if d <= published]
    return min(ahead) if ahead else max(past, default=None)


def _month_anchored(published: datetime.date, future: bool, month: int) -> str:
    """ "in June": the last June up to the publication month, or the next one from it when the
    clause speaks of the future; the month's precision, never a day."""
    year = published.year
    if future:
        year += month < published.month
    else:
        year -= month > published.month
    return f"{year:04d}-{month:02d}"


def _value(rule: str, groups: tuple[str, ...]) -> str | None:
    try:
        if rule == "dates.day-month-year":
            if groups[0][0].isdigit():
                day, month, year = groups
            else:
                month, day, year = groups
            return datetime.date(int(year), MONTHS[month.lower()], int(day)).isoformat()
        if rule == "dates.month-year":
            return f"{int(groups[1]):04d}-{MONTHS[groups[0].lower()]:02d}"
        return groups[-1]
    except ValueError:  # "February 30, 2025" names no day
        return None


@component("dates", requires=("doc",), provides=("dates",), defaults={})
def dates(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Dates at the precision given; weekday-relative dates only against a publication date."""
    doc = chunk.doc
    text = doc.text
    taken: list[tuple[int, int]] = []
    for rule, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span(match.lastindex) if rule == "dates.year" else match.span()
            if rule == "dates.year":
                start = match.start(1)
            if any(s < end and start < e for s, e in taken):
                continue
            value = _value(rule, tuple(g for g in match.groups() if g is not None))
            if value is None:
                continue
            taken.append((start, end))
            span = doc.char_span(start, end, alignment_mode="expand")
            chunk.dates.append(DateMention(chunk.offset + start, chunk.offset + end, value, rule,
                                           span.start, span.end))
    if ctx.published is not None:
        for pattern in _DAY_MONTH:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                day = _anchored(ctx.published, _future(doc.char_span(start, end, alignment_mode="expand")),
                                *match.groups())
                if day is None:
                    continue
                taken.append((start, end))
                span = doc.char_span(start, end, alignment_mode="expand")
                chunk.dates.append(DateMention(chunk.offset + start, chunk.offset + end, day.isoformat(),
                                               "dates.day-month", span.start, span.end))
        for match in _MONTH_ALONE.finditer(text):
            start, end = match.span(1)
            if any(s < end and start < e for s, e in taken):
                continue  # "in June 2025", "in June 12" were read above
            span = doc.char_span(start, end, alignment_mode="expand")
            month = _month_anchored(ctx.published, _future(span), MONTHS[match.group(1).lower()])
            taken.append((start, end))
            chunk.dates.append(DateMention(chunk.offset + start, chunk.offset + end, month, "dates.month",
                                           span.start, span.end))
        for match in _WEEKDAY.finditer(text):
            span = doc.char_span(*match.span(1), alignment_mode="expand")
            target = WEEKDAYS[match.group(1).lower()]
            delta = (ctx.published.weekday() - target) % 7
            day = ctx.published - datetime.timedelta(days=delta)
            if _future(span) or match.group(0).lower().startswith(("next", "coming", "this coming")):
                day = ctx.published + datetime.timedelta(days=(target - ctx.published.weekday()) % 7 or 7)
            elif match.group(0).lower().startswith("last") and delta == 0:
                day -= datetime.timedelta(days=7)
            chunk.dates.append(DateMention(chunk.offset + match.start(1), chunk.offset + match.end(1),
                                           day.isoformat(), "dates.weekday", span.start, span.end))
    chunk.dates.sort(key=lambda d: d.start)


_QUANTITY = re.compile(
    r"(?:\b(nearly|almost|about|around|roughly|approximately|more than|over|exceeding|above|"
    r"below|under|less than|up to|at least|at most)\s+)?(?<![\w.])(\d+(?:\.\d+)?)\s?(%|per ?cent\b|percent\b)",
    re.I,
)


@component("quantities", requires=("doc",), provides=("quantities",), defaults={})
def quantities(chunk: Chunk, ctx: Context, settings: dict) -> None:
    """Percentages with their qualifier ("levels exceeding 60%" → 60 percent, exceeding)."""
    doc = chunk.doc
    for match in _QUANTITY.finditer(doc.text):
        span = doc.char_span(match.start(2), match.end(), alignment_mode="expand")
        qualifier = match.group(1).lower() if match.group(1) else None
        chunk.quantities.append(Quantity(chunk.offset + match.start(2), chunk.offset + match.end(),
                                         match.group(2), "percent", qualifier, span.start, span.end))
