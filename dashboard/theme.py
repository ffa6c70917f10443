"""What the dashboard looks like: its title, the colour of each event type, the Arabic font stack.

One place for these so the map legend, the chart and the markers always agree.
"""
from __future__ import annotations

from events.schema import event_types

TITLE = "Syria reported-events map"

# Event types in legend order with their colours: the registry of events.schema decides both.
TYPE_COLOURS: dict[str, str] = {t.name: t.colour for t in event_types().values()}
UNKNOWN_TYPE_COLOUR = "#444444"

ARABIC_FONT = "'Noto Naskh Arabic', 'Noto Sans Arabic', 'Amiri', 'Arial', sans-serif"


def type_colour(event_type: str) -> str:
    """Colour for an event type; types outside the design's list still get a visible colour."""
    etype = event_types().get(event_type)
    return etype.colour if etype else UNKNOWN_TYPE_COLOUR


def type_label(event_type: str) -> str:
    """The registry's label for people ("Airstrike"); a type outside the registry shows its name."""
    known = event_types().get(event_type)
    return known.label if known else event_type
