"""SPARQL: the query text (:mod:`.syntax`), named queries and running them (:mod:`.query`), results as text (:mod:`.results`)."""
