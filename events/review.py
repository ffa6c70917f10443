"""Analyst review: confirm, reject or correct an event, kept in an append-only log beside the store.

An automatic extractor is sometimes wrong and our users publish what the map shows, so every
decision an analyst takes is a line of `STORE.review.jsonl`: who, when, which event (by its stable
`event_id`), the old and the new values, why. The log is never rewritten: appends take an exclusive
lock and are flushed to disk before the lock is released, so two sessions reviewing at once lose
nothing and a killed writer leaves at most one unreadable last line, which is reported and skipped
(the next append starts on a fresh line). The log is applied whenever events are read
(`apply_log`): a decision outlives rebuilds because event ids come from the article and the incident,
and a decision whose event no longer exists is reported, never dropped from the log.

    python -m events review stats STORE          (or python -m events.review ...)
    python -m events.review export STORE [--out FILE.jsonl]
    python -m events.review apply STORE --who NAME (confirm|reject|correct) EVENT_ID [--set FIELD=VALUE ...]
"""
from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import sys
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from gazetteer import user_places
from gazetteer.user_places import UserPlace

ACTIONS = ("confirm", "reject", "correct")
REJECT_REASONS = ("not_event", "duplicate", "outside_syria")
STATUSES = ("unreviewed", "confirmed", "corrected", "rejected")
# What an analyst may correct, and how a value typed on the command line is read.
CORRECTABLE: dict[str, type] = {
    "event_type": str, "count": int, "event_date": str, "time_precision": int, "place_id": str,
    "location_ar": str, "location_en": str, "kind": str, "admin1": str, "admin2": str,
    "latitude": float, "longitude": float, "geo_precision": int,
}
REVIEW_COLUMNS = ["review_status", "reviewed_by", "reviewed_at"]


def now() -> str:
    """The time a decision (or a user place) is recorded: UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Decision:
    """One line of the review log."""

    event_id: str
    action: str
    who: str
    at: str = field(default_factory=lambda: now())
    changes: dict = field(default_factory=dict)  # field -> new value (correct)
    before: dict = field(default_factory=dict)  # field -> the value it replaces
    reason: str | None = None  # reject: one of REJECT_REASONS
    duplicate_of: str | None = None
    comment: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown review action {self.action!r}; one of {', '.join(ACTIONS)}")
        if not self.who.strip():
            raise ValueError("a review decision needs the reviewer's name")
        if self.action == "reject" and self.reason not in REJECT_REASONS:
            raise ValueError(f"a rejection needs a reason: one of {', '.join(REJECT_REASONS)}")
        unknown = set(self.changes) - set(CORRECTABLE)
        if unknown:
            raise ValueError(f"fields that cannot be corrected: {', '.join(sorted(unknown))}")
        if self.action == "correct" and not self.changes:
            raise ValueError("a correction needs at least one changed field")


def log_path(store: str | Path) -> Path:
    """The review log of a store: `STORE.review.jsonl` beside it."""
    store = Path(store)
    return store.with_name(store.name + ".review.jsonl")


def append(path: Path, decision: Decision) -> None:
    """Append one decision, durably, under an exclusive lock (several writers may share the log)."""
    append_record(path, asdict(decision))


def add_place(store: str | Path, place: UserPlace) -> None:
    """Add a place an analyst named on the map to the store's user places (the next builds resolve it)."""
    append_record(user_places.path_for(store), place.to_json())


def append_record(path: Path, record: dict) -> None:
    """Append one JSON line, durably, under an exclusive lock: the review log's and the user places' writes."""
    line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = "\n" + line  # a writer was killed mid-line: leave its fragment on a line of its own
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock


def read(path: Path) -> tuple[list[Decision], list[str]]:
    """Every readable decision in log order, and a problem line for each line that is not one."""
    if not path.exists():
        return [], []
    decisions, problems = [], []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                decisions.append(Decision(**json.loads(raw.decode("utf-8"))))
            except (ValueError, TypeError, UnicodeDecodeError) as e:
                problems.append(f"{path.name} line {n}: not a review decision ({type(e).__name__}: {e}); skipped")
    return decisions, problems


@dataclass
class Applied:
    """The events with the log applied, and what could not be applied."""

    events: pd.DataFrame
    orphans: list[Decision]  # decisions about events the store no longer holds
    problems: list[str]


def apply_log(events: pd.DataFrame, decisions: Iterable[Decision], problems: list[str] | None = None) -> Applied:
    """Events with the review decisions applied in log order: status, reviewer, time, corrected values.

    A field a correction changed keeps the machine's value in `machine_<field>`; a later decision on
    the same event overrides an earlier one field by field (a rejection can be undone by a confirm).
    """
    out = events.copy()
    for c in REVIEW_COLUMNS:
        out[c] = "unreviewed" if c == "review_status" else None
    row_of = {eid: i for i, eid in enumerate(out["event_id"])}
    orphans = []
    for d in decisions:
        i = row_of.get(d.event_id)
        if i is None:
            orphans.append(d)
            continue
        idx = out.index[i]
        if d.action == "correct":
            for f, value in d.changes.items():
                machine = f"machine_{f}"
                if machine not in out.columns:
                    out[machine] = None
                    out[machine] = out[machine].astype(object)
                if out.at[idx, machine] is None:
                    out.at[idx, machine] = out.at[idx, f]
                if out[f].dtype != object:
                    out[f] = out[f].astype(object)
                out.at[idx, f] = value
        status = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}[d.action]
        if d.action == "confirm" and out.at[idx, "review_status"] == "corrected":
            status = "corrected"  # a confirmed correction stays a correction
        out.at[idx, "review_status"] = status
        out.at[idx, "reviewed_by"] = d.who
        out.at[idx, "reviewed_at"] = d.at
    return Applied(out, orphans, list(problems or []))


@dataclass(frozen=True)
class Reviewed:
    """A store read with its review log applied: what every reader of reviewed events wants."""

    applied: Applied
    articles: pd.DataFrame
    decisions: list[Decision]
    error: str | None = None


def load(store: str | Path) -> Reviewed:
    """The store's events with its review log applied, its articles and the log itself; never raises
    for a bad store (`error` says why, as `events.store.load` does)."""
    from events.store import load as load_store

    loaded = load_store(store)
    decisions, problems = read(log_path(store))
    return Reviewed(apply_log(loaded.events, decisions, problems), loaded.articles, decisions, loaded.error)


def history(decisions: Iterable[Decision], event_id: str) -> list[Decision]:
    """The decisions taken on one event, oldest first."""
    return [d for d in decisions if d.event_id == event_id]


def stats(applied: Applied) -> dict:
    """Counts per status and reviewer, orphans and unreadable lines: for scripts and the CLI."""
    reviewed = applied.events[applied.events["review_status"] != "unreviewed"]
    return {"events": len(applied.events),
            "status": {s: int((applied.events["review_status"] == s).sum()) for s in STATUSES},
            "reviewers": dict(Counter(reviewed["reviewed_by"].dropna())),
            "orphans": [d.event_id for d in applied.orphans], "problems": applied.problems}


def _parse_changes(pairs: list[str]) -> dict:
    changes = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in CORRECTABLE:
            raise ValueError(f"--set {pair!r}: expected FIELD=VALUE with FIELD one of {', '.join(CORRECTABLE)}")
        try:
            changes[name] = CORRECTABLE[name](value)
        except ValueError:
            raise ValueError(f"--set {pair!r}: {value!r} is not a valid {CORRECTABLE[name].__name__}") from None
    return changes


def main(argv: list[str] | None = None, prog: str = "python -m events.review") -> int:
    ap = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("stats", "export", "apply"):
        p = sub.add_parser(name)
        p.add_argument("store", type=Path)
        if name == "export":
            p.add_argument("--out", type=Path, help="JSON lines file (default: stdout)")
        if name == "apply":
            p.add_argument("--who", required=True)
            p.add_argument("action", choices=ACTIONS)
            p.add_argument("event_id")
            p.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE")
            p.add_argument("--reason", choices=REJECT_REASONS)
            p.add_argument("--comment")
    args = ap.parse_args(argv)
    reviewed = load(args.store)
    if reviewed.error:
        print(reviewed.error, file=sys.stderr)
        return 2
    applied, log = reviewed.applied, log_path(args.store)
    if args.cmd == "apply":
        events = applied.events
        if args.event_id not in set(events["event_id"]):
            print(f"no event {args.event_id} in {args.store}", file=sys.stderr)
            return 2
        row = events.loc[events["event_id"] == args.event_id].iloc[0]
        try:
            changes = _parse_changes(args.set)
            decision = Decision(args.event_id, args.action, args.who, changes=changes,
                                before={f: row[f] for f in changes}, reason=args.reason, comment=args.comment)
        except ValueError as e:
            print(e, file=sys.stderr)
            return 2
        append(log, decision)
        print(f"{args.action} {args.event_id} by {args.who} -> {log}")
        return 0
    if args.cmd == "stats":
        print(json.dumps(stats(applied), ensure_ascii=False, indent=2))
        return 0
    records = applied.events.astype(object).where(applied.events.notna(), None).to_dict("records")
    text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    for p in applied.problems + [f"decision {d.id} on event {d.event_id}: the store no longer holds that event"
                                 for d in applied.orphans]:
        print(p, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
