"""The registered extraction components; importing this package registers them all."""

from . import cues, events, gazetteer, markers, temporal  # noqa: F401
