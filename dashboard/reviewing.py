"""Review in the dashboard, without Streamlit: finding a place, turning a choice into a correction,
the next event to review, and the panel's review HTML (status, corrected fields, history).

The decisions themselves (their record, the durable log, how they apply) are `events.review`'s; the
user places file is `gazetteer.user_places`'. Everything a reviewer typed is untrusted like article
text: escaped here before it reaches the page.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from dashboard.data import DATE, TIME_WORDS, precision_word
from dashboard.escape import esc, plain
from events import review
from events.places import geo_precision
from events.review import Decision
from gazetteer import places
from gazetteer.user_places import UserPlace

REASON_WORDS = {"not_event": "not an event", "duplicate": "duplicate of another event", "outside_syria": "outside Syria"}
ACTION_WORDS = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}
# What each line of the detail panel shows, by the fields a correction may change.
FIELD_GROUPS = {"Type": ("event_type",), "Date": ("event_date", "time_precision"), "Count": ("count",),
                "Place": ("place_id", "location_ar", "location_en", "latitude", "longitude")}
SEARCH_CUTOFF = 70  # rapidfuzz WRatio below which a name is not offered


@dataclass(frozen=True)
class PlaceChoice:
    """A place a reviewer can put an event at: from the gazetteer or the store's user places."""

    place_id: str
    name_ar: str
    name_en: str
    kind: str
    admin1: str
    admin2: str
    lat: float
    lon: float
    prominence: float = 0.0
    source: str = "gazetteer"

    def label(self) -> str:
        """One line for a picker (plain text: Streamlit shows option labels as text)."""
        where = ", ".join(x for x in (self.admin2, self.admin1) if x and x != self.name_en)
        tail = f" · {where}" if where else ""
        return f"{self.name_en or self.name_ar} · {self.name_ar} · {self.kind}{tail}" + (" · user place" if self.source == "user" else "")

    def changes(self) -> dict:
        """The event fields this place sets (a correction's `changes`)."""
        return {"place_id": self.place_id, "location_ar": self.name_ar, "location_en": self.name_en,
                "kind": self.kind, "admin1": self.admin1 or None, "admin2": self.admin2 or None,
                "latitude": self.lat, "longitude": self.lon, "geo_precision": geo_precision(self.kind, False)}


class PlaceFinder:
    """Fuzzy search over every name of every place (Arabic or English, as the gazetteer keys them)."""

    def __init__(self, choices: list[PlaceChoice], names: list[list[str]]):
        self.choices = choices
        self._keys: list[str] = []
        self._owner: list[int] = []
        for i, these in enumerate(names):
            for k in dict.fromkeys(k for name in these for k in places.keys(name)):
                self._keys.append(k)
                self._owner.append(i)

    def search(self, query: str, limit: int = 8) -> list[PlaceChoice]:
        """The best matches of `query`, best first; exact names first, then the more prominent place."""
        key = places.key(query or "")
        if len(key) < 2:
            return []
        hits = process.extract(key, self._keys, scorer=fuzz.WRatio, limit=limit * 6, score_cutoff=SEARCH_CUTOFF)
        best: dict[int, float] = {}
        for k, score, pos in hits:
            i = self._owner[pos]
            score += 10 if k == key else 0
            best[i] = max(best.get(i, 0.0), score)
        order = sorted(best, key=lambda i: (-best[i], -self.choices[i].prominence, self.choices[i].place_id))
        return [self.choices[i] for i in order[:limit]]


def finder(user: Iterable[UserPlace]) -> PlaceFinder:
    """A finder over the gazetteer's places and the store's user places (built once per server)."""
    table = places.load()
    choices, names = [], []
    for row in table.itertuples(index=False):
        if pd.isna(row.lat) or pd.isna(row.lon):
            continue
        choices.append(PlaceChoice(row.place_id, plain(row.name_ar), plain(row.name_en), row.kind,
                                   plain(row.admin1_en), plain(row.admin2_en), float(row.lat), float(row.lon),
                                   float(row.prominence)))
        names.append([n for n in (row.name_ar, row.name_en, *row.variants) if isinstance(n, str)])
    for p in user:
        choices.append(user_choice(p, table))
        names.append(p.names())
    return PlaceFinder(choices, names)


def user_choice(p: UserPlace, table: pd.DataFrame | None = None) -> PlaceChoice:
    """A user place as a choice; its admin areas are those of the nearest gazetteer place."""
    table = places.load() if table is None else table
    d = (table["lat"] - p.lat) ** 2 + ((table["lon"] - p.lon) * math.cos(math.radians(p.lat))) ** 2
    near = table.loc[d.idxmin()]
    return PlaceChoice(p.place_id, p.name_ar, p.name_en, p.kind, plain(near["admin1_en"]), plain(near["admin2_en"]),
                       p.lat, p.lon, source="user")


def corrections(event: Mapping, wanted: Mapping) -> tuple[dict, dict]:
    """(changes, before): the wanted values that differ from the event's, and the values they replace."""
    changes = {f: v for f, v in wanted.items() if not _same(event.get(f), v)}
    return changes, {f: _json(event.get(f)) for f in changes}


def _same(a: object, b: object) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        try:
            return math.isclose(float(a), float(b), abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return str(a) == str(b)


def _missing(v: object) -> bool:
    return v is None or (not isinstance(v, (str, list, dict)) and bool(pd.isna(v)))


def _json(v: object) -> object:
    """A cell as a JSON value (numpy scalars to Python, nulls to None)."""
    if _missing(v):
        return None
    return v.item() if hasattr(v, "item") else v


def next_unreviewed(view: pd.DataFrame, current: str | None) -> str | None:
    """The next unreviewed event after `current` in the view's order (newest first), wrapping round;
    None when every event in view has been reviewed. (The page asks query.Store.next_unreviewed, the
    same rule in SQL.)"""
    order = view.sort_values(DATE, ascending=False, na_position="last", kind="stable")
    ids = order["event_id"].tolist()
    unreviewed = set(order.loc[order["review_status"] == "unreviewed", "event_id"])
    start = ids.index(current) + 1 if current in ids else 0
    return next((e for e in ids[start:] + ids[:start] if e in unreviewed and e != current), None)


def status_html(event: Mapping, history: list[Decision]) -> str:
    """The review block of the detail panel: status, who and when, the machine's values of corrected
    fields, and every decision taken on the event (all reviewer input escaped)."""
    status = plain(event.get("review_status")) or "unreviewed"
    parts = [f'<p class="review"><span class="status status-{esc(status)}">{esc(status)}</span>']
    if status != "unreviewed" and plain(event.get("reviewed_by")):
        parts.append(f" by {esc(event.get('reviewed_by'))}, {esc(_when(event.get('reviewed_at')))}")
    parts.append("</p>")
    was = corrected_lines(event)
    if was:
        parts.append('<p class="corrected">Corrected: ' + "; ".join(
            f"{label} (machine: {esc(value)})" for label, value in was.items()) + "</p>")
    if history:
        items = "".join(f"<li>{_decision_html(d)}</li>" for d in history)
        parts.append(f'<details class="history"><summary>Review history ({len(history)})</summary><ol>{items}</ol></details>')
    return "".join(parts)


def corrected_lines(event: Mapping) -> dict[str, str]:
    """Per line of the panel that a correction changed: the machine's value, as plain text."""
    out = {}
    for label, fields in FIELD_GROUPS.items():
        machine = {f: event.get(f"machine_{f}") for f in fields if not _missing(event.get(f"machine_{f}"))}
        if not machine:
            continue
        if label == "Place":
            names = [plain(machine.get(f)) or plain(event.get(f)) for f in ("location_en", "location_ar")]
            out[label] = " / ".join(n for n in names if n) or "not located"
        elif label == "Date":
            date = plain(machine.get("event_date", event.get("event_date"))) or "undated"
            words = precision_word(machine.get("time_precision", event.get("time_precision")), TIME_WORDS)
            out[label] = f"{date}, {words}" if words else date
        else:
            out[label] = plain(machine[fields[0]])
    return out


def _decision_html(d: Decision) -> str:
    what = ACTION_WORDS[d.action]
    if d.action == "reject":
        what += f" ({esc(REASON_WORDS.get(d.reason or '', d.reason))}" + (
            f" of {esc(d.duplicate_of)}" if d.duplicate_of else "") + ")"
    if d.changes:
        what += ": " + ", ".join(f"{esc(f)} {esc(_shown(d.before.get(f)))} → {esc(_shown(v))}" for f, v in d.changes.items()
                                 if f in ("event_type", "count", "event_date", "location_en", "location_ar"))
    comment = f' — <q>{esc(d.comment)}</q>' if d.comment else ""
    return f"{esc(_when(d.at))} · {esc(d.who)} · {what}{comment}"


def _when(at: object) -> str:
    """A log time (ISO, UTC) as a reader writes it: `2024-03-05 14:02 UTC`."""
    text = plain(at)
    return f"{text[:10]} {text[11:16]} UTC" if len(text) >= 16 and text.endswith("+00:00") else text


def _shown(v: object) -> str:
    return "—" if _missing(v) else str(v)


def log_note(applied: review.Applied) -> str | None:
    """What the page says about decisions it could not apply (None when every one applied)."""
    parts = []
    if applied.orphans:
        parts.append(f"{len(applied.orphans)} review decisions concern events this store no longer holds")
    if applied.problems:
        parts.append(f"{len(applied.problems)} lines of the review log are unreadable and were skipped")
    return "; ".join(parts) + " (`python -m events review stats` lists them)." if parts else None
