"""The corpus: documents and their dates, the reference data, curated facts and their kinds, ingest.

What goes into a build, read and checked: :mod:`.documents` (text, header, content spans),
:mod:`.dates`, :mod:`.reference` (actors, places, issues and their aliases, from ontology/),
:mod:`.factkinds` (every kind of fact, its fields and label, in one table), :mod:`.facts`
(the curated and proposed facts, quotes verified) and :mod:`.ingest` (``kg add``).
"""
