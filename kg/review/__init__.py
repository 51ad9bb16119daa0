"""``kg review``: accept, correct or reject what extraction proposed, in a local page, the quote lit up in its article.

:class:`Review` is the library (list, show, decide, undo, rebuild; every decision written at
once, atomically, under the project lock); :func:`kg.review.app.create_app` serves it on
127.0.0.1 behind a random token. See docs/review.md.
"""

from .session import Review

__all__ = ["Review"]
