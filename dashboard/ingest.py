"""Adding articles to the store from the dashboard (first start on the seeds, and the uploader).

The events package does the work (`events.pipeline.build`, incremental: already stored articles
are skipped) in one build per batch, reporting each article as it goes; this module estimates how
many articles a batch holds, so the page can show a progress bar, and collects the rejects (with
their reasons) that the build writes next to the store.
"""
from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

UPLOAD_SUFFIXES = (".txt", ".csv", ".jsonl")
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass
class Outcome:
    """What adding a batch did: new articles and events, and every reject with its reason."""

    articles_new: int = 0
    events_new: int = 0
    already_stored: int = 0
    rejects: list[dict] = field(default_factory=list)


def add_files(files: Iterable[Path], store: Path, progress: Callable[[int, int, str], None]) -> Outcome:
    """Build the files into the store; progress(done, estimated total, article) after each article."""
    from events.pipeline import build, rejects_path

    files = list(files)
    total = max(1, sum(estimate_articles(p) for p in files))
    summary = build(files, store, progress=False,
                    on_article=lambda done, doc: progress(min(done, total), total, doc))
    return Outcome(summary.articles_new, summary.events_new, summary.already_stored,
                   _read_rejects(rejects_path(summary.out)))


def estimate_articles(path: Path) -> int:
    """How many articles a file holds, for the progress bar: one per text file, one per data line
    of a CSV (after its header) or JSONL (quoted line breaks in a CSV make it an estimate)."""
    if path.suffix.lower() not in (".csv", ".jsonl"):
        return 1
    with path.open("rb") as f:
        lines = sum(1 for line in f if line.strip())
    return max(1, lines - (path.suffix.lower() == ".csv"))


def seed_inputs(folder: Path) -> list[Path]:
    """The article files of a seeds folder (its metadata CSV is found by the reader itself)."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)


def save_uploads(uploads: Iterable[tuple[str, bytes]], folder: Path) -> tuple[list[Path], list[dict]]:
    """Write uploaded (name, bytes) pairs under `folder` with safe names; refuse other file types."""
    saved, rejects = [], []
    for name, payload in uploads:
        base = Path(name).name
        if Path(base).suffix.lower() not in UPLOAD_SUFFIXES:
            rejects.append({"input": base, "reason": f"unsupported file type (want {', '.join(UPLOAD_SUFFIXES)})"})
            continue
        safe = re.sub(r"[^\w.\-]", "_", base)
        target = folder / safe
        n = 1
        while target.exists():
            target = folder / f"{Path(safe).stem}-{n}{Path(safe).suffix}"
            n += 1
        target.write_bytes(payload)
        saved.append(target)
    return saved, rejects


def upload_folder() -> Path:
    """A fresh folder for one batch of uploads (the store keeps the articles' text, not the files)."""
    return Path(tempfile.mkdtemp(prefix="events-upload-"))


def _read_rejects(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                rows.append({"input": path.name, "reason": f"unreadable reject line: {line[:80]}"})
    return rows
