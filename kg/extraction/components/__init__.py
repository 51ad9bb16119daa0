"""The registered extraction components; importing this package registers them all."""

from . import agenda, cues, entities, events, gazetteer, markers, stances, temporal  # noqa: F401
