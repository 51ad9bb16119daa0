"""The exception hierarchy; each error maps to a documented exit code (pySHACL's convention).

Exit codes: 0 success, 1 the data does not conform (validation, inconsistency),
2 an input or runtime error.
"""


class KgError(Exception):
    """Base class of every error Impasse reports to a user."""

    exit_code = 2


class InputError(KgError):
    """A file the user supplied is unreadable or malformed; the message names file and place."""


class DocumentError(InputError):
    """A corpus document is empty, binary, not UTF-8, or has a bad header."""


class FactsError(InputError):
    """A curated-facts file is malformed, or one of its facts cannot be verified."""


class QuoteError(FactsError):
    """A quote is absent from its document, ambiguous there, or lies in page furniture."""


class UnknownKeyError(FactsError):
    """A fact names an entity key that neither the reference data nor the corpus declares."""


class ProjectError(InputError):
    """The folder is not an Impasse project, or lacks a part of one, or a project cannot be made there;
    the message names the folder and what is missing."""


class ReferenceDataError(InputError):
    """The ontology or the reference data cannot be read or is inconsistent with itself."""


class LockError(KgError):
    """Another writer holds the project lock (kg/corpus/lock.py) for longer than the caller waits."""


class ExportError(KgError):
    """An export cannot be written (unknown format, invalid term)."""


class NotConformingError(KgError):
    """The built graph does not conform to the SHACL shapes, or the ontology is inconsistent."""

    exit_code = 1


class ReviewError(InputError):
    """A review decision cannot be carried out: an unknown document or fact, a fact that another
    decision changed meanwhile, a value the facts format refuses; nothing is written then."""
