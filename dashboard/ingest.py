"""Adding articles to the store from the dashboard (first start on the seeds, and the uploader).

The events package does all the reading: which suffixes are articles (`ARTICLE_SUFFIXES`, also the
uploader's list), how many articles a file holds (`estimate_articles`, for the progress bar), and
why an input is rejected (the build writes the reasons next to the store). This module only saves
uploads under safe names and runs one incremental build per batch.
"""
from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from events.corpus import ARTICLE_SUFFIXES, TEXT_SUFFIXES, estimate_articles

UPLOAD_TYPES = [suffix.lstrip(".") for suffix in ARTICLE_SUFFIXES]


@dataclass
class Outcome:
    """What adding a batch did: new articles and events, and every reject with its reason."""

    articles_new: int = 0
    events_new: int = 0
    already_stored: int = 0
    rejects: list[dict] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)  # of the new events
    error: str | None = None  # why nothing was written (a locked, folder or corrupt store), else None


def add_files(inputs: Iterable[Path], store: Path, progress: Callable[[int, int, str], None]) -> Outcome:
    """Build files or folders into the store; progress(done, estimated total, article) after each article."""
    from events.pipeline import build
    from events.store import load

    inputs = list(inputs)
    before: set[str] = set()
    if store.exists():
        loaded = load(store)
        if loaded.error:
            return Outcome(error=loaded.error)
        before = set(loaded.events["event_id"])
    files = [f for p in inputs for f in (sorted(p.rglob("*")) if p.is_dir() else [p]) if f.is_file()]
    total = max(1, sum(estimate_articles(f) for f in files))
    summary = build(inputs, store, progress=False,
                    on_article=lambda done, doc: progress(min(done, total), total, doc))
    if summary.error:
        return Outcome(error=summary.error)
    after = load(store).events["event_id"]
    return Outcome(summary.articles_new, summary.events_new, summary.already_stored,
                   [r.to_json() for r in summary.rejects if not r.kept], [e for e in after if e not in before])


def seed_inputs(folder: Path) -> list[Path]:
    """The article files of a seeds folder (its metadata CSV is found by the reader itself)."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES - {""})


def save_uploads(uploads: Iterable[tuple[str, bytes]], folder: Path) -> list[Path]:
    """Write uploaded (name, bytes) pairs into `folder` under safe, distinct names (the build reads
    the folder and rejects what is not an article, with its reason)."""
    saved = []
    for name, payload in uploads:
        safe = re.sub(r"[^\w.\-]", "_", Path(name).name).lstrip(".") or "upload"
        target = folder / safe
        n = 1
        while target.exists():
            target = folder / f"{Path(safe).stem}-{n}{Path(safe).suffix}"
            n += 1
        target.write_bytes(payload)
        saved.append(target)
    return saved


def upload_folder() -> Path:
    """A fresh folder for one batch of uploads (the store keeps the articles' text, not the files)."""
    return Path(tempfile.mkdtemp(prefix="events-upload-"))
