"""The registry of extraction components and the check that a pipeline's order is sound.

A component is a plain callable registered by name; it declares what it needs
(``requires``) and what it adds (``provides``), as spaCy's ``Language.component`` does, and
:func:`check_pipeline` refuses an order in which a component runs before what it needs
(spaCy's ``pipe_analysis`` idea) before any text is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import InputError


class PipelineError(InputError):
    """A pipeline names an unknown component, a bad setting, or runs one before its inputs."""


@dataclass(frozen=True)
class Component:
    """A registered extraction step: ``func(chunk, settings)`` adds to the chunk's state."""

    name: str
    func: Callable[..., None]
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    defaults: dict[str, Any] = field(default_factory=dict)
    doc: str = ""


REGISTRY: dict[str, Component] = {}


def component(name: str, *, requires=(), provides=(), defaults=None):
    """Register the decorated function as the component ``name``.

    :param requires: names of the attributes it reads (``doc``, ``mentions`` …).
    :param provides: names of the attributes it adds.
    :param defaults: its settings and their default values; a pipeline may override them.
    """

    def register(func):
        if name in REGISTRY:
            raise ValueError(f"component {name!r} is registered twice")
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        REGISTRY[name] = Component(name, func, tuple(requires), tuple(provides), dict(defaults or {}), summary)
        return func

    return register


@dataclass(frozen=True)
class Step:
    """One step of a pipeline: a component and its settings (defaults overridden)."""

    component: Component
    settings: dict[str, Any]


def check_pipeline(steps: list[dict], where: str = "pipeline", given=()) -> list[Step]:
    """Resolve pipeline entries (``{"component": name, "settings": {...}}``) and check their order.

    :raises PipelineError: naming the entry, on an unknown component or setting, a component
        listed twice, or one that runs before a component providing what it requires.
    :param given: what every chunk carries before the first component (``doc`` …).
    """
    provided: dict[str, str] = {name: "(built in)" for name in given}
    resolved: list[Step] = []
    seen: set[str] = set()
    for number, entry in enumerate(steps, start=1):
        if isinstance(entry, str):
            entry = {"component": entry}
        if not isinstance(entry, dict) or "component" not in entry:
            raise PipelineError(f"{where}: step {number} must name a 'component'")
        name = entry["component"]
        if name not in REGISTRY:
            raise PipelineError(
                f"{where}: step {number}: unknown component {name!r}; known: {', '.join(sorted(REGISTRY))}"
            )
        if name in seen:
            raise PipelineError(f"{where}: step {number}: component {name!r} is listed twice")
        seen.add(name)
        comp = REGISTRY[name]
        settings = entry.get("settings") or {}
        unknown = sorted(set(settings) - set(comp.defaults))
        if unknown:
            raise PipelineError(
                f"{where}: step {number} ({name}): unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(comp.defaults)) or 'none'}"
            )
        missing = [r for r in comp.requires if r not in provided]
        if missing:
            raise PipelineError(
                f"{where}: step {number} ({name}) requires {', '.join(missing)}, "
                f"which no earlier component provides"
            )
        for attr in comp.provides:
            provided.setdefault(attr, name)
        resolved.append(Step(comp, {**comp.defaults, **settings}))
    return resolved
