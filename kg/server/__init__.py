"""``kg serve``: a SPARQL 1.1 Protocol endpoint, the views and a query page.

:mod:`.app` is the HTTP app, :mod:`.protocol` the pure parts of the protocol (parameters,
guards, negotiation), :mod:`.worker` the processes that run queries.
"""
