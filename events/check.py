"""`python -m events check STORE`: verify a store and repair what can be repaired.

Verifies every file of the current generation against its manifest (size, checksum, rows), that every
event's article is stored, that ids are unique, that counts and dates are plausible and that the
rejects log parses. Repairs: what a killed build left (see store.recover), a damaged current generation
(back to the newest intact one: a re-run of the build adds what it lost), events without their article
(removed, so a re-run extracts them again instead of counting them as stored), duplicates and implausible
values (as a new generation), a single-file store (migrated to generations), lines of the rejects log
cut by a kill. The review log and the user places are checked, never rewritten (see _check_review).
Whatever cannot be repaired is said, with what to do.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from events import dataset

from events.plausible import clean_table
from events.store import (
    MANIFEST,
    PARTS,
    StoreError,
    _atomic,
    _generations,
    commit,
    current_generation,
    file_digest,
    is_folder,
    locked,
    point_to,
    read_articles_file,
    read_events_table,
    read_manifest,
    read_snapshot,
    recover,
    rejects_path,
    store_dir,
)


@dataclass
class Report:
    """What `check` found (`problems`), what it repaired (`repaired`), and what it could not (`failed`)."""

    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the store is sound now (after the repairs)."""
        return not self.failed


def verify_generation(gen: Path) -> list[str]:
    """What is wrong with one generation folder: its manifest, a missing or changed file, unreadable rows."""
    try:
        manifest = read_manifest(gen)
    except (OSError, ValueError, KeyError, TypeError) as e:
        return [f"{gen.name} has no readable {MANIFEST} ({type(e).__name__}: {e})"]
    if dataset.is_partitioned(manifest):
        return _verify_dataset(gen, manifest)
    problems = []
    for part in PARTS:
        info = manifest["files"][part]
        path = gen / info["name"]
        if not path.is_file():
            problems.append(f"{gen.name}/{info['name']} is missing")
        elif path.stat().st_size != info["bytes"] or file_digest(path) != info["sha256"]:
            problems.append(f"{gen.name}/{info['name']} does not match its checksum (changed or damaged since written)")
    if problems:
        return problems
    try:
        rows = {"events": read_events_table(gen / manifest["files"]["events"]["name"], manifest["format"]).num_rows,
                "articles": read_articles_file(gen / manifest["files"]["articles"]["name"]).num_rows}
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as e:
        return [f"{gen.name} cannot be read ({type(e).__name__}: {e})"]
    return [f"{gen.name}/{manifest['files'][p]['name']} has {rows[p]} rows, its manifest says {manifest['files'][p]['rows']}"
            for p in PARTS if rows[p] != manifest["files"][p]["rows"]]


def _verify_dataset(gen: Path, manifest: dict) -> list[str]:
    """`verify_generation` for a partitioned generation: every part file against its manifest entry."""
    problems = []
    for part in PARTS:
        for entry in manifest["files"][part]["parts"]:
            path, name = gen / part / entry["path"], f"{gen.name}/{part}/{entry['path']}"
            if not path.is_file():
                problems.append(f"{name} is missing")
            elif path.stat().st_size != entry["bytes"] or file_digest(path) != entry["sha256"]:
                problems.append(f"{name} does not match its checksum (changed or damaged since written)")
            else:
                try:
                    rows = pq.ParquetFile(path).metadata.num_rows
                except (OSError, pa.ArrowException) as e:
                    problems.append(f"{name} cannot be read ({type(e).__name__}: {e})")
                    continue
                if rows != entry["rows"]:
                    problems.append(f"{name} has {rows} rows, its manifest says {entry['rows']}")
    return problems


def check(out: Path) -> Report:
    """Verify the store at `out` and repair it in place (under its lock), as the module docstring says."""
    report = Report()
    if is_folder(out):
        report.failed.append(f"{out} is a folder, not a store (a store is a file such as {out / 'events.parquet'})")
        return report
    if not out.exists() and not out.is_symlink():
        report.failed.append(f"no store at {out}")
        return report
    try:
        with locked(out):
            report.repaired += recover(out)
            _check_generation(out, report)
            if not report.failed:
                _check_content(out, report)
            _check_rejects_log(out, report)
            _check_review(out, report)
    except StoreError as e:
        report.failed.append(str(e))
    return report


def _check_generation(out: Path, report: Report) -> None:
    """A damaged current generation: back to the newest intact one."""
    current = current_generation(out)
    if current is None:
        return
    problems = verify_generation(current) if current.is_dir() else [f"{current.name} is missing"]
    if not problems:
        return
    report.problems += problems
    for _, gen in sorted(_generations(out).items(), reverse=True):
        if gen != current and not verify_generation(gen):
            point_to(out, gen)
            report.repaired.append(f"rolled back from {current.name} to {gen.name}, the newest intact generation: "
                                   f"re-run the build to add the articles committed after it")
            return
    report.failed.append(f"no intact generation of {out} to go back to: rebuild it (`python -m events build "
                         f"ARTICLES... --out {out} --rebuild`)")


def _check_content(out: Path, report: Report) -> None:
    """Orphan events, duplicate ids and implausible values, repaired as a new generation; a single-file
    store becomes a generation store on the way."""
    snap = read_snapshot(out)
    if not snap.has_articles:
        report.problems.append(f"{out} has no articles file (written before stores kept the texts): left as it is; "
                               f"rebuild it from its articles with --rebuild to read their texts in the dashboard")
        return
    events, articles = snap.events, snap.articles
    fixes: list[tuple[str, str]] = []  # (problem, repair)
    orphan = pc.invert(pc.is_in(events.column("article_id"), articles.column("article_id")))
    if n := pc.sum(orphan).as_py():
        lost = len(set(events.filter(orphan).column("article_id").to_pylist()))
        fixes.append((f"{n} events of {lost} articles whose text is not stored (a build killed between writing the two)",
                      f"removed those {n} events: re-run the build to extract them again"))
        events = events.filter(pc.invert(orphan))
    for name, key in (("events", "event_id"), ("articles", "article_id")):
        table = events if name == "events" else articles
        first = _first_of_each(table.column(key))
        if dup := table.num_rows - len(first):
            fixes.append((f"{dup} {name} with a duplicate {key}", f"removed {dup} duplicate {name}"))
            events, articles = (table.take(first), articles) if name == "events" else (events, table.take(first))
    events, nulled = clean_table(events)
    if nulled:
        fixes.append((f"{nulled} implausible counts or dates",
                      f"dropped {nulled} implausible counts or dates (the phrases stay in count_text and evidence)"))
    report.problems += [problem for problem, _ in fixes]
    if fixes or snap.generation is None:
        commit(out, snap.fmt or "parquet", events, articles, "check")
        report.repaired += [repair for _, repair in fixes] or [
            f"moved the single-file store into generations ({store_dir(out).name})"]


def _first_of_each(ids: pa.ChunkedArray) -> pa.Array:
    """Row numbers of the first row of each distinct id, in table order."""
    first: dict = {}
    for i, v in enumerate(ids.to_pylist()):
        first.setdefault(v, i)
    return pa.array(sorted(first.values()), pa.int64())


def _check_rejects_log(out: Path, report: Report) -> None:
    """Lines of the rejects log that do not parse (cut by a kill) are dropped, the rest rewritten atomically."""
    path = rejects_path(out)
    if not path.exists():
        return
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    good = [ln for ln in lines if ln.strip() and _is_json(ln)]
    if len(good) < len([ln for ln in lines if ln.strip()]):
        bad = len([ln for ln in lines if ln.strip()]) - len(good)
        report.problems.append(f"{bad} unreadable lines in {path.name}")
        _atomic(path, lambda tmp: tmp.write_text("".join(ln + "\n" for ln in good), encoding="utf-8"))
        report.repaired.append(f"dropped {bad} unreadable lines of {path.name} (cut by a killed build)")


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _check_review(out: Path, report: Report) -> None:
    """The review log and the user places are append-only records of people's work: their unreadable
    lines (a write cut by a kill) and the decisions about events the store no longer holds are said,
    never removed (readers skip the first and report the second)."""
    from events.review import load
    from gazetteer.user_places import load as load_places, path_for

    reviewed = load(out)
    if reviewed.error:
        return
    report.problems += reviewed.applied.problems + load_places(path_for(out))[1]
    if orphans := reviewed.applied.orphans:
        report.problems.append(f"{len(orphans)} review decisions about events this store no longer holds "
                               f"(their articles were removed or extract differently now), e.g. event "
                               f"{orphans[0].event_id}: kept in the log, listed by `python -m events review stats`")
