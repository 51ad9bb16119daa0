"""Colours and shapes shared by the views (colour-blind-safe hues from the Okabe–Ito palette)."""

from .graphdata import imp

BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SKY, PURPLE, YELLOW, GREY = "#56B4E9", "#CC79A7", "#F0E442", "#8A94A6"
RED = "#C62828"
INK = "#1d2433"

#: Stance of a position -> (legend label, colour, dashes, width, arrow type).
STANCES = {
    imp("Demand"): ("demands (wants it on the table)", BLUE, False, 3, "arrow"),
    imp("RedLine"): ("red line (refuses to negotiate it)", RED, False, 5, "bar"),
    imp("Objective"): ("objective (seeks it for itself)", GREEN, [2, 5], 2, "arrow"),
    imp("Precondition"): ("precondition (must happen first)", ORANGE, [10, 6], 3, "arrow"),
}

#: Node colour and shape per kind of node.
KINDS = {
    imp("State"): (BLUE, "dot"),
    imp("Person"): (SKY, "dot"),
    imp("Organization"): (PURPLE, "dot"),
    imp("ArmedGroup"): (VERMILION, "dot"),
    imp("Actor"): (BLUE, "dot"),
    imp("Issue"): ("#E8EAEE", "box"),
    imp("NegotiationRound"): (ORANGE, "box"),
    imp("Agreement"): (GREEN, "box"),
    imp("Provision"): ("#7FCDB8", "box"),
    imp("Place"): (YELLOW, "triangle"),
    imp("LeverageAsset"): (VERMILION, "diamond"),
    imp("Event"): (SKY, "box"),
    imp("CausalLink"): (GREY, "dot"),
    imp("Position"): (BLUE, "dot"),
    imp("AgendaMismatch"): (RED, "diamond"),
    imp("BargainingSpace"): (GREEN, "diamond"),
}


def kind_style(data, node: str) -> tuple[str, str]:
    """(colour, shape) for a node: that of its nearest class listed in :data:`KINDS`."""
    best = None
    for cls in sorted(data.types.get(node, ())):
        for candidate in sorted(data.superclasses(cls)):
            if candidate in KINDS:
                depth = len(data.superclasses(candidate))
                if best is None or depth > best[0]:
                    best = (depth, candidate)
    return KINDS[best[1]] if best else (GREY, "dot")
