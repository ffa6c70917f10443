"""The view <-> URL query parameters, both ways, so a copied URL reopens the same view.

Parameters (lists are repeated keys, e.g. `types=shelling&types=airstrike`):
from, to (ISO dates), types, gov, src, q (search), min (minimum count), undated=0 / unlocated=0
(hide those), ev (the open event), lat, lon, z (map centre and zoom).
Defaults are left out so URLs stay short. A URL is typed or edited by people: a value that does not
parse is dropped (and reported), never an exception.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dashboard.data import Filters

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
    problems: list[str] = []

    def last(key: str) -> str | None:
        values = [v for v in params.get(key, ()) if v.strip()]
        return values[-1].strip() if values else None

    def many(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for v in params.get(key, ()) if v.strip()))

    def parse(key: str, convert, check=lambda v: True):
        raw = last(key)
        if raw is None:
            return None
        try:
            value = convert(raw)
        except ValueError:
            value = None
        if value is None or not check(value):
            problems.append(f"ignored {key}={raw!r}")
            return None
        return value

    start = parse("from", date.fromisoformat)
    end = parse("to", date.fromisoformat)
    if start and end and start > end:
        problems.append(f"ignored from={start} after to={end}")
        start = end = None
    min_count = parse("min", int, lambda v: v >= 0) or 0
    lat = parse("lat", float, lambda v: -90 <= v <= 90)
    lon = parse("lon", float, lambda v: -180 <= v <= 180)
    zoom = parse("z", int, lambda v: MIN_ZOOM <= v <= MAX_ZOOM)
    filters = Filters(
        start=start, end=end, types=many("types"), governorates=many("gov"), sources=many("src"),
        search=last("q") or "", min_count=min_count,
        include_undated=last("undated") != "0", include_unlocated=last("unlocated") != "0",
    )
    centre = (lat, lon) if lat is not None and lon is not None else None
    return ViewState(filters=filters, event=last("ev"), centre=centre, zoom=zoom), problems


def to_query(state: ViewState) -> dict[str, str | list[str]]:
    """The query parameters of a view (defaults omitted), ready for `st.query_params.from_dict`."""
    f = state.filters
    out: dict[str, str | list[str]] = {}
    if f.start:
        out["from"] = f.start.isoformat()
    if f.end:
        out["to"] = f.end.isoformat()
    for key, values in (("types", f.types), ("gov", f.governorates), ("src", f.sources)):
        if values:
            out[key] = list(values)
    if f.search.strip():
        out["q"] = f.search.strip()
    if f.min_count > 0:
        out["min"] = str(f.min_count)
    if not f.include_undated:
        out["undated"] = "0"
    if not f.include_unlocated:
        out["unlocated"] = "0"
    if state.event:
        out["ev"] = state.event
    if state.centre is not None:
        out["lat"] = f"{state.centre[0]:.{LATLON_DECIMALS}f}"
        out["lon"] = f"{state.centre[1]:.{LATLON_DECIMALS}f}"
    if state.zoom is not None:
        out["z"] = str(state.zoom)
    return out
