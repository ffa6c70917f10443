"""The view <-> URL query parameters, both ways, so a copied URL reopens the same view.

The filters' parameters are declared by their specs (`dashboard.filters.SPECS`: from, to, types, gov,
src, q, min, undated, unlocated, background); this module adds ev (the open event) and lat, lon, z
(map centre and zoom). Lists are repeated keys (`types=shelling&types=airstrike`); defaults are left
out so URLs stay short. A URL is typed or edited by people: a value that does not parse is dropped
(and reported), never an exception.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dashboard.filters import SPECS, Filters, Query

LATLON_DECIMALS = 4  # ~10 m: precise enough to restore a view, short enough to read
MIN_ZOOM, MAX_ZOOM = 1, 19


@dataclass(frozen=True)
class ViewState:
    filters: Filters = field(default_factory=Filters)
    event: str | None = None
    centre: tuple[float, float] | None = None
    zoom: int | None = None


def from_query(params: Mapping[str, Sequence[str]]) -> tuple[ViewState, list[str]]:
    """Parse query parameters (each key -> all its values) into a view, plus one message per bad value."""
    q = Query(params)
    values: dict = {}
    for spec in SPECS:
        values |= spec.from_query(q)
    lat = q.parse("lat", float, lambda v: -90 <= v <= 90)
    lon = q.parse("lon", float, lambda v: -180 <= v <= 180)
    zoom = q.parse("z", int, lambda v: MIN_ZOOM <= v <= MAX_ZOOM)
    centre = (lat, lon) if lat is not None and lon is not None else None
    return ViewState(filters=Filters(**values), event=q.last("ev"), centre=centre, zoom=zoom), q.problems


def to_query(state: ViewState) -> dict[str, str | list[str]]:
    """The query parameters of a view (defaults omitted), ready for `st.query_params.from_dict`."""
    out: dict[str, str | list[str]] = {}
    for spec in SPECS:
        out |= spec.to_query(state.filters)
    if state.event:
        out["ev"] = state.event
    if state.centre is not None:
        out["lat"] = f"{state.centre[0]:.{LATLON_DECIMALS}f}"
        out["lon"] = f"{state.centre[1]:.{LATLON_DECIMALS}f}"
    if state.zoom is not None:
        out["z"] = str(state.zoom)
    return out
