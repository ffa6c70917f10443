"""The dashboard's filters as one declarative list: what each keeps, its URL parameters, its widget.

`SPECS` is iterated by everything that touches a filter: `where` (which rows it keeps, as a SQL predicate
for the query layer, `dashboard.query`), `apply` (the same rows of a pandas table: small tables and the
tests' reference), `urlstate` (query parameters both ways), `session` (the widgets' state, seeded from the
URL) and the page (the widgets). Adding a filter is one field of `Filters` and one entry in `SPECS` with
its `sql` and `mask`; a test round-trips every spec through a URL and checks that both keep the same rows.
No Streamlit here: the widgets are drawn into a container the page passes in.

The SQL never holds a value from the user: every value is a bound parameter (`?`), and the columns are
the specs' own names (`ident` quotes them).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from dashboard.data import CURRENT, DATE, DATED, HAYSTACK, LOCATED
from events.review import STATUSES
from events.search import search_key

Bounds = tuple[date, date]
Predicate = tuple[str, list]  # SQL with `?` placeholders, and their values in order
# Review statuses shown unless asked otherwise: a rejected event is off the map until someone looks for it.
SHOWN_STATUSES: tuple[str, ...] = tuple(s for s in STATUSES if s != "rejected")


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Empty tuples mean "no restriction", not "nothing"."""

    start: date | None = None
    end: date | None = None
    types: tuple[str, ...] = ()
    governorates: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    search: str = ""
    min_count: int = 0
    include_undated: bool = True
    include_unlocated: bool = True
    include_background: bool = False
    statuses: tuple[str, ...] = SHOWN_STATUSES


DEFAULT = Filters()


@dataclass
class Query:
    """URL query parameters (each key -> all its values) being read, and what could not be used."""

    params: Mapping[str, Sequence[str]]
    problems: list[str] = field(default_factory=list)

    def last(self, key: str) -> str | None:
        values = [v for v in self.params.get(key, ()) if v.strip()]
        return values[-1].strip() if values else None

    def many(self, key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for v in self.params.get(key, ()) if v.strip()))

    def parse(self, key: str, convert: Callable[[str], Any], check: Callable[[Any], bool] = lambda v: True) -> Any:
        """The converted value, or None (and a problem noted) when it does not convert or check."""
        raw = self.last(key)
        if raw is None:
            return None
        try:
            value = convert(raw)
        except ValueError:
            value = None
        if value is None or not check(value):
            self.problems.append(f"ignored {key}={raw!r}")
            return None
        return value


@dataclass(frozen=True)
class Context:
    """What widgets need from the store: filter choices, date bounds, rows each toggle would hide."""

    choices: Mapping[str, list[str]]
    bounds: Bounds | None
    hidden: Mapping[str, int] = field(default_factory=dict)


class Spec:
    """One filter: the Filters field(s) it sets, its URL parameter(s), its widget (session key `key`)."""

    key: str
    in_sidebar = True
    costly = False  # its predicate is slow to evaluate (text search): the query layer keeps its rows per value

    def sql(self, f: Filters) -> Predicate | None:
        """The rows it keeps as a SQL predicate over the query layer's columns (values bound, never
        formatted into the text), or None when it keeps everything."""
        raise NotImplementedError

    def mask(self, events: pd.DataFrame, f: Filters) -> pd.Series | None:
        """The rows of a pandas table it keeps, or None when it keeps everything (same rows as `sql`)."""
        raise NotImplementedError

    def to_query(self, f: Filters) -> dict[str, str | list[str]]:
        """Its query parameters (lists for repeated keys), none when at its default."""
        raise NotImplementedError

    def from_query(self, q: Query) -> dict[str, Any]:
        raise NotImplementedError

    def to_widget(self, f: Filters, ctx: Context, problems: list[str]) -> Any:
        """The widget state for these filters (values the store does not know are dropped, noted)."""
        raise NotImplementedError

    def from_widget(self, value: Any, ctx: Context) -> dict[str, Any]:
        raise NotImplementedError

    def draw(self, container: Any, ctx: Context) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class DateRange(Spec):
    """Dated events between two days (undated ones are the Toggle's business); a slider under the timeline.
    A slider end at the store's first/last day means "open", so new events beyond it stay in view."""

    key: str = "f_dates"
    in_sidebar = False

    def sql(self, f: Filters) -> Predicate | None:
        if f.start is None and f.end is None:
            return None
        bounds = [(">=", f.start), ("<=", f.end)]
        inside = " AND ".join(f"{ident(DATE)} {op} ?" for op, d in bounds if d is not None)
        return f"({ident(DATE)} IS NULL OR ({inside}))", [d for _, d in bounds if d is not None]

    def mask(self, events: pd.DataFrame, f: Filters) -> pd.Series | None:
        if f.start is None and f.end is None:
            return None
        dated = events[DATE]
        keep = dated.isna()
        inside = pd.Series(True, index=events.index)
        if f.start is not None:
            inside &= dated >= pd.Timestamp(f.start)
        if f.end is not None:
            inside &= dated <= pd.Timestamp(f.end)
        return keep | inside

    def to_query(self, f: Filters) -> dict[str, str | list[str]]:
        return {k: d.isoformat() for k, d in (("from", f.start), ("to", f.end)) if d is not None}

    def from_query(self, q: Query) -> dict[str, Any]:
        start, end = q.parse("from", date.fromisoformat), q.parse("to", date.fromisoformat)
        if start and end and start > end:
            q.problems.append(f"ignored from={start} after to={end}")
            start = end = None
        return {"start": start, "end": end}

    def to_widget(self, f: Filters, ctx: Context, problems: list[str]) -> Any:
        if ctx.bounds is None:
            return None
        return clamp(f.start or ctx.bounds[0], ctx.bounds), clamp(f.end or ctx.bounds[1], ctx.bounds)

    def from_widget(self, value: Any, ctx: Context) -> dict[str, Any]:
        if ctx.bounds is None or value is None:
            return {"start": None, "end": None}
        lo, hi = value
        return {"start": lo if lo > ctx.bounds[0] else None, "end": hi if hi < ctx.bounds[1] else None}

    def draw(self, container: Any, ctx: Context) -> None:
        if ctx.bounds is not None and ctx.bounds[0] < ctx.bounds[1]:
            container.slider("Dates", min_value=ctx.bounds[0], max_value=ctx.bounds[1], key=self.key,
                             format="YYYY-MM-DD", label_visibility="collapsed")


@dataclass(frozen=True)
class Choice(Spec):
    """Rows whose `column` is one of the chosen values (none chosen: all rows)."""

    name: str  # the Filters field
    param: str
    column: str
    label: str
    placeholder: str
    key: str

    def sql(self, f: Filters) -> Predicate | None:
        chosen = getattr(f, self.name)
        return (f"{ident(self.column)} IN ({', '.join('?' * len(chosen))})", list(chosen)) if chosen else None

    def mask(self, events: pd.DataFrame, f: Filters) -> pd.Series | None:
        chosen = getattr(f, self.name)
        return events[self.column].isin(chosen) if chosen else None

    def to_query(self, f: Filters) -> dict[str, str | list[str]]:
        chosen = getattr(f, self.name)
        return {self.param: list(chosen)} if chosen else {}

    def from_query(self, q: Query) -> dict[str, Any]:
        return {self.name: q.many(self.param)}

    def to_widget(self, f: Filters, ctx: Context, problems: list[str]) -> Any:
        known = set(ctx.choices.get(self.column, ()))
        wanted = getattr(f, self.name)
        problems += [f"ignored unknown {self.column} {v!r}" for v in wanted if v not in known]
        return [v for v in wanted if v in known]

    def from_widget(self, value: Any, ctx: Context) -> dict[str, Any]:
        return {self.name: tuple(value or ())}

    def draw(self, container: Any, ctx: Context) -> None:
        container.multiselect(self.label, ctx.choices.get(self.column, []), key=self.key,
                              placeholder=self.placeholder)


@dataclass(frozen=True)
class ReviewStatus(Choice):
    """Rows of the chosen review statuses; unlike other choices, the default is not "all" but every status
    but rejected, so the URL names the statuses only when they differ from that (`status=all` for all)."""

    name: str = "statuses"
    param: str = "status"
    column: str = "review_status"
    label: str = "Review status"
    placeholder: str = "Every status, rejected too"
    key: str = "f_status"
    ALL = "all"

    def sql(self, f: Filters) -> Predicate | None:
        return super().sql(f) if self._restricts(f) else None

    def mask(self, events: pd.DataFrame, f: Filters) -> pd.Series | None:
        return events[self.column].isin(f.statuses) if self._restricts(f) else None

    @staticmethod
    def _restricts(f: Filters) -> bool:
        return bool(f.statuses) and set(f.statuses) != set(STATUSES)

    def to_query(self, f: Filters) -> dict[str, str | list[str]]:
        if set(f.statuses) == set(DEFAULT.statuses):
            return {}
        return {self.param: list(f.statuses) if f.statuses else self.ALL}

    def from_query(self, q: Query) -> dict[str, Any]:
        wanted = q.many(self.param)
        if not wanted:
            return {self.name: DEFAULT.statuses}
        if wanted == (self.ALL,):
            return {self.name: ()}
        q.problems += [f"ignored unknown review status {v!r}" for v in wanted if v not in STATUSES]
        return {self.name: tuple(v for v in STATUSES if v in wanted) or DEFAULT.statuses}

    def to_widget(self, f: Filters, ctx: Context, problems: list[str]) -> Any:
        return list(f.statuses)

    def from_widget(self, value: Any, ctx: Context) -> dict[str, Any]:
        return {self.name: tuple(v for v in STATUSES if v in (value or ()))}

    def draw(self, container: Any, ctx: Context) -> None:
        container.multiselect(self.label, list(STATUSES), key=self.key, placeholder=self.placeholder,
                              help="Analysts' review of each event; rejected events are hidden unless chosen here")


@dataclass(frozen=True)
class Search(Spec):
    """Rows whose evidence or place names contain the query, both keyed by `events.search.search_key`."""

    key: str = "f_q"
    costly = True

    @staticmethod
    def query(f: Filters) -> str:
        """The search key of what was typed ("" when nothing is searched for)."""
        return search_key(f.search.strip()) if f.search.strip() else ""

    def sql(self, f: Filters) -> Predicate | None:
        query = self.query(f)
        return (f"contains({ident(HAYSTACK)}, ?)", [query]) if query else None

    def mask(self, events: pd.DataFrame, f: Filters) -> pd.Series | None:
        query = self.query(f)
        return events[HAYSTACK].str.contains(query, regex=False) if query else None

    def to_query(self, f: Filters) -> dict[str, str | list[str]]:
        return {"q": f.search.strip()} if f.search.strip() else {}

    def from_query(self, q: Query) -> dict[str, Any]:
        return {"search": q.last("q") or ""}

    def to_widget(self, f: Filters, ctx: Context, problems: list[str]) -> Any:
        return f.search

    def from_widget(self, value: Any, ctx: Context) -> dict[str, Any]:
        return {"search": value or ""}

    def draw(self, container: Any, ctx: Context) -> None:
        container.text_input("Search evidence and place names", key=self.key, placeholder="e.g. حماة or Hama")


@dataclass(frozen=True)
class MinCount(Spec):
    """Rows whose stated count is at least the minimum (0: every row, with or without a count)."""

    key: str = "f_min"

    def sql(self, f: Filters) -> Predicate | None:
        return (f"coalesce({ident('count')}, -1) >= ?", [f.min_count]) if f.min_count > 0 else None

    def mask(self, events: pd.DataFrame, f: Filters) -> pd.Series | None:
        return events["count"].fillna(-1) >= f.min_count if f.min_count > 0 else None

    def to_query(self, f: Filters) -> dict[str, str | list[str]]:
        return {"min": str(f.min_count)} if f.min_count > 0 else {}

    def from_query(self, q: Query) -> dict[str, Any]:
        return {"min_count": q.parse("min", int, lambda v: v >= 0) or 0}

    def to_widget(self, f: Filters, ctx: Context, problems: list[str]) -> Any:
        return f.min_count

    def from_widget(self, value: Any, ctx: Context) -> dict[str, Any]:
        return {"min_count": int(value or 0)}

    def draw(self, container: Any, ctx: Context) -> None:
        container.number_input("Minimum count", min_value=0, step=1, key=self.key,
                               help="Keeps events whose reported count is at least this (0: all, even without a count)")


@dataclass(frozen=True)
class Toggle(Spec):
    """Include the rows a boolean column marks as the exception (undated, unlocated, background) or not.
    The URL holds the value only when it differs from the default (`0` or `1`)."""

    name: str
    param: str
    column: str  # True for the rows that are always kept
    label: str  # with {n}: how many rows switching it off hides
    key: str
    help: str = ""

    def sql(self, f: Filters) -> Predicate | None:
        return None if getattr(f, self.name) else (ident(self.column), [])

    def mask(self, events: pd.DataFrame, f: Filters) -> pd.Series | None:
        return None if getattr(f, self.name) else events[self.column]

    def to_query(self, f: Filters) -> dict[str, str | list[str]]:
        value = getattr(f, self.name)
        return {} if value == getattr(DEFAULT, self.name) else {self.param: "1" if value else "0"}

    def from_query(self, q: Query) -> dict[str, Any]:
        value = q.parse(self.param, {"0": False, "1": True}.get)
        return {self.name: getattr(DEFAULT, self.name) if value is None else value}

    def to_widget(self, f: Filters, ctx: Context, problems: list[str]) -> Any:
        return getattr(f, self.name)

    def from_widget(self, value: Any, ctx: Context) -> dict[str, Any]:
        return {self.name: bool(value)}

    def draw(self, container: Any, ctx: Context) -> None:
        container.toggle(self.label.format(n=ctx.hidden.get(self.column, 0)), key=self.key, help=self.help or None)


SPECS: tuple[Spec, ...] = (
    DateRange(),
    Choice("types", "types", "event_type", "Event types", "All types", "f_types"),
    Choice("governorates", "gov", "admin1", "Governorates", "All governorates", "f_gov"),
    Choice("sources", "src", "source", "Sources", "All sources", "f_src"),
    ReviewStatus(),
    Search(),
    MinCount(),
    Toggle("include_undated", "undated", DATED, "Include undated events ({n})", "f_undated"),
    Toggle("include_unlocated", "unlocated", LOCATED, "Include unlocated events ({n}, table only)", "f_unlocated"),
    Toggle("include_background", "background", CURRENT,
           "Include background reports ({n})", "f_background",
           "History, cumulative totals and context (\"since 2011, 5,000 defected\"): hidden by default, "
           "never added to the headline totals"),
)
TOGGLE_COLUMNS = tuple(s.column for s in SPECS if isinstance(s, Toggle))
# Every toggle on: the rows the toggles' counts are taken from (`replace(filters, **TOGGLES_ON)`).
TOGGLES_ON: dict[str, bool] = {s.name: True for s in SPECS if isinstance(s, Toggle)}


def ident(column: str) -> str:
    """A column name quoted for SQL (the specs' own names; never user input)."""
    return '"' + column.replace('"', '""') + '"'


def where(f: Filters, costly: Callable[[Predicate], Predicate] | None = None) -> Predicate:
    """The predicate of every spec's filter, ANDed ("TRUE" when none restricts), and its values. A costly
    spec's predicate goes through `costly` (the query layer swaps it for a table of the rows it keeps)."""
    parts, params = [], []
    for spec in SPECS:
        clause = spec.sql(f)
        if clause is not None:
            clause = costly(clause) if spec.costly and costly is not None else clause
            parts.append(f"({clause[0]})")
            params += clause[1]
    return " AND ".join(parts) or "TRUE", params


def apply(events: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows of a prepared pandas table that every filter keeps (the query layer's reference)."""
    keep = pd.Series(True, index=events.index)
    for spec in SPECS:
        mask = spec.mask(events, f)
        if mask is not None:
            keep &= mask
    return events[keep]


def hidden_by_toggles(events: pd.DataFrame) -> dict[str, int]:
    """Per toggle column: how many rows switching that toggle off hides (for the widgets' labels)."""
    return {c: int((~events[c]).sum()) for c in TOGGLE_COLUMNS}


def clamp(d: date, bounds: Bounds) -> date:
    return min(max(d, bounds[0]), bounds[1])
