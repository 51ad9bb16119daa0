"""The store behind the rdflib API: Oxigraph in memory by default, on disk, rdflib's own, or a SPARQL endpoint."""
