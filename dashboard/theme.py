"""What the dashboard looks like: its title, the colour of each event type, the Arabic font stack.

One place for these so the map legend, the chart and the markers always agree.
"""
from __future__ import annotations

TITLE = "Syria reported-events map"

# Event types of the design's table, in legend order, with colours distinguishable on a light base map.
TYPE_COLOURS: dict[str, str] = {
    "defection": "#1f77b4",
    "desertion": "#17becf",
    "shelling": "#ff7f0e",
    "airstrike": "#d62728",
    "clashes": "#9467bd",
    "bombing": "#8c564b",
    "killing": "#e377c2",
    "arrest": "#bcbd22",
    "other": "#7f7f7f",
}
UNKNOWN_TYPE_COLOUR = "#444444"

ARABIC_FONT = "'Noto Naskh Arabic', 'Noto Sans Arabic', 'Amiri', 'Arial', sans-serif"


def type_colour(event_type: str) -> str:
    """Colour for an event type; types outside the design's list still get a visible colour."""
    return TYPE_COLOURS.get(event_type, UNKNOWN_TYPE_COLOUR)
