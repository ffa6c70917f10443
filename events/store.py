"""The events store on disk: one commit point for events and articles, one writer at a time, recovery
on open, and readers that never see half a store.

For `--out my.parquet` (any of the formats of events.tables):

    my.parquet                    a symbolic link to the current generation's events file
    my.parquet.store/gen-000007/  a generation: events.parquet, articles.parquet, manifest.json
    my.parquet.store/lock         held (flock) by the one writer committing at a time
    my.parquet.rejects.jsonl      every build's rejects, appended with the build's id
    my.parquet.review.jsonl       the analysts' decisions (events.review), append-only
    my.parquet.places.jsonl       places analysts added (gazetteer.user_places), append-only

A commit writes a new generation folder (its manifest last), then renames a new link over `my.parquet`:
that one rename is the commit, so the events and the articles they came from change together or not at
all. The review log is not part of a generation: a decision is one durable append (never a rewrite of
the store), names its event by the stable `event_id`, and is applied whenever the store is read
(`events.review.load`), so it holds for every generation, past and future, that has its event; a
decision whose event a rebuild removed is reported, not lost. A kill at any moment
leaves either the old generation or the new one; what it leaves behind (a generation without a manifest
or never linked, temporary files) is removed by the next writer (or reader, when no writer holds the
lock), with a log line. `my.parquet` stays an ordinary file to every other tool (QGIS, pandas).

A store written by older code (`my.parquet` and `my.articles.parquet` as plain files) reads as before
and becomes a generation store at its next commit.

For large corpora a generation can hold a partitioned Parquet dataset instead (`build --partitioned`):
the same link, lock, recovery and `check`, with part files by publication month that a commit adds to
instead of rewriting; see events.dataset. Readers: `load` as for any store, `parquet_files` and
`dataset_glob` for engines that query the files themselves (DuckDB, Arrow datasets).
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from events import dataset
from events.plausible import clean_table
from events.tables import (  # noqa: F401 - also the store's public names (FORMATS, events_table...)
    FORMATS,
    articles_table,
    events_table,
    format_of,
    read_articles_file,
    read_events_table,
    write_events_file,
)

log = logging.getLogger(__name__)
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: files are created with the mode the user's umask gives, not mkstemp's 0600
STORE_DIR_SUFFIX = ".store"
REJECTS_SUFFIX = ".rejects.jsonl"
MANIFEST = "manifest.json"
_GEN = re.compile(r"gen-(\d{6,})")
PARTS = ("events", "articles")  # the files of a generation (the review log sits beside the link)
_KEEP_PREVIOUS = 1  # generations kept besides the current one, for readers that resolved the link just before a commit


class StoreError(ValueError):
    """A store that cannot be read or written, with the reason (and what to do) in the message."""


def sidecar_path(path: Path) -> Path:
    """FILE.ext -> FILE.articles.parquet: the articles file of a store written by older code."""
    return path.with_name(path.stem + ".articles.parquet")


def store_dir(out: Path) -> Path:
    """The folder of a store's generations and lock."""
    return out.with_name(out.name + STORE_DIR_SUFFIX)


def rejects_path(out: Path) -> Path:
    """The rejects log of a store: beside it and named after it, so each store has its own."""
    return out.with_name(out.name + REJECTS_SUFFIX)


@dataclass(frozen=True)
class Snapshot:
    """What a store holds at one commit. `has_articles` is False for an old store without an articles
    file, whose events are then the only record of which articles it holds."""

    events: pa.Table
    articles: pa.Table
    generation: str | None
    has_articles: bool = True
    fmt: str | None = None
    layout: str | None = None  # dataset.LAYOUT for a partitioned store

    def article_ids(self) -> set[str]:
        """The articles stored: skipped by an incremental build."""
        table = self.articles if self.has_articles else self.events
        return set(table.column("article_id").to_pylist())


def is_folder(out: Path) -> bool:
    """A real folder given as a store (a partitioned store's link to its dataset folder is not one)."""
    return out.is_dir() and not out.is_symlink()


def layout_of(out: Path) -> str | None:
    """dataset.LAYOUT when `out` is a partitioned store, else None (a generation or single-file store, or none)."""
    try:
        gen = current_generation(out)
        return dataset.LAYOUT if gen is not None and dataset.is_partitioned(read_manifest(gen)) else None
    except (OSError, ValueError, KeyError, StoreError):
        return None


def stored_ids(out: Path) -> dataset.IdIndex | set[str]:
    """The ids of the articles a store holds: for a partitioned store read from the id column of its
    article files alone (never the texts), for the others from the snapshot."""
    gen = current_generation(out)
    if gen is not None:
        manifest = read_manifest(gen)
        if dataset.is_partitioned(manifest):
            return dataset.stored_ids(gen, manifest)
    return read_snapshot(out).article_ids()


def parquet_files(out: str | Path, part: str = "events") -> list[Path]:
    """The Parquet files holding one part ("events" or "articles") of the store's current commit, for
    engines that read files themselves (DuckDB `read_parquet([...])`, `pyarrow.dataset`): the part files
    of a partitioned store, the one file of a generation store. Every file has the part's full schema.
    Empty for no store; raises StoreError for a store of another format."""
    out = Path(out)
    gen = current_generation(out)
    if gen is None:
        if not out.exists():
            return []
        if format_of(out) != "parquet":
            raise StoreError(f"{out} is not a Parquet store")
        return [out] if part == "events" else ([sidecar_path(out)] if sidecar_path(out).exists() else [])
    manifest = read_manifest(gen)
    if dataset.is_partitioned(manifest):
        return dataset.part_files(gen, manifest, part)
    if part == "events" and manifest["format"] != "parquet":
        raise StoreError(f"{out} is not a Parquet store")
    return [gen / manifest["files"][part]["name"]]


def dataset_glob(out: str | Path, part: str = "events") -> str:
    """A glob over the store's files of one part for DuckDB (`read_parquet(glob, hive_partitioning =
    true)`; a partitioned store adds a `month` column, the publication month). It names the current
    generation's folder, so a query sees one commit even while a build commits."""
    out = Path(out)
    gen = current_generation(out)
    if gen is not None and dataset.is_partitioned(read_manifest(gen)):
        return str(gen / part / "*" / "*.parquet")
    files = parquet_files(out, part)
    return str(files[0]) if files else ""


EMPTY = Snapshot(events_table([]), articles_table([]), None)


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Run `write` on a temporary file next to `path`, then rename it over `path` (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)
    try:
        write(Path(tmp))
        _fsync(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_events(table: pa.Table, path: Path, fmt: str) -> None:
    """Write an events table atomically as one file (a single-file store, or an export)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    _atomic(path, lambda tmp: write_events_file(table, tmp, fmt))


def write_articles(table: pa.Table, path: Path) -> None:
    """Write the articles file of the single-file store `path` atomically."""
    _atomic(sidecar_path(path), lambda tmp: pq.write_table(table, tmp))


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk: a commit must survive a power cut, not only a killed process."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, as a generation's manifest records it."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def current_generation(out: Path) -> Path | None:
    """The generation folder `out` links to, or None for a single-file store or no store."""
    if not out.is_symlink():
        return None
    target = Path(os.readlink(out))
    gen = (out.parent / target).parent
    if target.is_absolute() or gen.parent.name != store_dir(out).name or not _GEN.fullmatch(gen.name):
        raise StoreError(f"{out} links to {target}, which is not one of its generations: not a store written by "
                         f"`python -m events build`; choose another --out")
    return gen


def read_manifest(gen: Path) -> dict:
    """A generation's manifest: its format and, per part, the file's name, rows, size and checksum."""
    manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") not in FORMATS or any(
            Path(manifest["files"][part]["name"]).name != manifest["files"][part]["name"] for part in PARTS):
        raise ValueError(f"bad manifest in {gen.name}")
    return manifest


def version(out: Path) -> str | None:
    """What `out` holds now, cheaply: a build re-reads the store at commit only when this changed."""
    try:
        if out.is_symlink():
            return os.readlink(out)
        st = out.stat()
        return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"
    except FileNotFoundError:
        return None


def _not_a_store(out: Path, e: BaseException) -> StoreError:
    return StoreError(f"{out} is not a readable events store ({type(e).__name__}: {e}); "
                      f"run `python -m events check {out}`, or choose another --out")


def read_snapshot(out: Path) -> Snapshot:
    """The store's current commit; EMPTY when there is no store yet. Raises StoreError (with the
    reason) for a folder or an unreadable store."""
    out = Path(out)
    if is_folder(out):
        raise StoreError(f"{out} is a folder: the store is a file, e.g. {out / 'events.parquet'}")
    for attempt in range(3):
        try:
            return _read_snapshot(out)
        except FileNotFoundError as e:
            if attempt == 2 or not out.is_symlink():
                raise _not_a_store(out, e) from e
            # a writer committed twice since the link was read and removed that generation: read again
        except StoreError:
            raise
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as e:
            raise _not_a_store(out, e) from e
    raise AssertionError("unreachable")


def _read_snapshot(out: Path) -> Snapshot:
    gen = current_generation(out)
    if gen is not None:
        manifest = read_manifest(gen)
        if dataset.is_partitioned(manifest):
            events, articles = dataset.read_tables(gen, manifest)
            return Snapshot(events, articles, gen.name, fmt="parquet", layout=dataset.LAYOUT)
        events = read_events_table(gen / manifest["files"]["events"]["name"], manifest["format"])
        return Snapshot(events, read_articles_file(gen / manifest["files"]["articles"]["name"]), gen.name,
                        fmt=manifest["format"])
    if not out.exists():
        return EMPTY
    side = sidecar_path(out)
    articles = read_articles_file(side) if side.exists() else articles_table([])
    return Snapshot(read_events_table(out, format_of(out)), articles, None, side.exists(), format_of(out))


@dataclass(frozen=True)
class Loaded:
    """A store as DataFrames, or why it could not be read (then both frames are empty)."""

    events: pd.DataFrame
    articles: pd.DataFrame
    error: str | None = None


def load(path: str | Path) -> Loaded:
    """The store at `path` for a reader (the dashboard): never raises for a bad store, says why instead.
    Counts and dates no event can have are hidden (`check` repairs them in the store)."""
    out = Path(path)
    try:
        recover_if_free(out)
        snap = read_snapshot(out)
        if snap is EMPTY:
            raise StoreError(f"no events store at {out}: build one with `python -m events build ARTICLES... --out {out}`")
    except StoreError as e:
        return Loaded(events_table([]).to_pandas(), articles_table([]).to_pandas(), str(e))
    events, hidden = clean_table(snap.events)
    if hidden:
        log.warning("%s: %d implausible counts or dates hidden; `python -m events check %s` repairs them", out, hidden, out)
    return Loaded(events.to_pandas(), snap.articles.to_pandas())


def read_store(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events, articles) DataFrames of a store written by `python -m events build`; raises StoreError
    with the reason when there is none or it is unreadable (`load` returns the reason instead)."""
    loaded = load(path)
    if loaded.error:
        raise StoreError(loaded.error)
    return loaded.events, loaded.articles


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the store's write lock: a second writer waits here (with a log line) until the first is done,
    so no commit is built on a store that changes under it. The lock dies with its process (flock)."""
    folder = store_dir(out)
    if is_folder(out):
        raise StoreError(f"{out} is a folder: the store is a file, e.g. {out / 'events.parquet'}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise StoreError(f"cannot write the store {out}: {e.strerror or e}") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("%s: another build is writing this store; waiting for it to finish", out)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def recover_if_free(out: Path) -> list[str]:
    """`recover` when no writer holds the lock (a reader does not wait, nor create a store folder)."""
    lock = store_dir(out) / "lock"
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return []
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return recover(out)
    except OSError as e:  # locked by a writer, or a read-only store: nothing to do now
        if e.errno not in (errno.EWOULDBLOCK, errno.EACCES, errno.EROFS, errno.EPERM):
            raise
        return []
    finally:
        os.close(fd)


def _generations(out: Path) -> dict[int, Path]:
    folder = store_dir(out)
    if not folder.is_dir():
        return {}
    return {int(m.group(1)): p for p in folder.iterdir() if (m := _GEN.fullmatch(p.name)) and p.is_dir()}


def recover(out: Path) -> list[str]:
    """Clean what a killed writer left (the caller holds the lock): temporary files, generations
    never committed, and the old articles file a migrated store no longer uses; one log line each."""
    from events.review import log_path
    from gazetteer.user_places import path_for

    done = []
    names = (out.name, sidecar_path(out).name, rejects_path(out).name, log_path(out).name, path_for(out).name)
    temps = [p for p in out.parent.glob(".*.tmp") if p.name.startswith(tuple(f".{n}." for n in names))]
    folder = store_dir(out)
    if folder.is_dir():
        temps += [p for p in folder.iterdir() if p.name.endswith(".tmp")]
        for p in folder.iterdir():
            if p.name.startswith(STAGE_PREFIX) and p.is_dir() and not _stage_in_use(p):
                shutil.rmtree(p, ignore_errors=True)
                done.append(f"removed {p.name}, the rows of a killed build never committed")
    for p in temps:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        done.append(f"removed the leftover temporary file {p.name}")
    try:
        current = current_generation(out)
    except StoreError:
        return _logged(out, done)
    number = int(_GEN.fullmatch(current.name).group(1)) if current else -1
    for n, gen in sorted(_generations(out).items()):
        if n == number:
            continue
        if not (gen / MANIFEST).exists() or n > number:
            shutil.rmtree(gen, ignore_errors=True)
            done.append(f"removed {gen.name}, a generation a killed build wrote but never committed")
        elif n < number - _KEEP_PREVIOUS:
            shutil.rmtree(gen, ignore_errors=True)  # superseded: nothing to report
    if current is not None:
        try:
            replaced = read_manifest(current).get("replaces", [])
        except (OSError, ValueError, KeyError):
            return _logged(out, done)  # a broken current generation: `check` says so and repairs
        for name in replaced:
            if (old := out.parent / name).exists() and not old.is_symlink():
                old.unlink()
                done.append(f"removed {name}, the articles file of the single-file store now in {current.name}")
    return _logged(out, done)


def _logged(out: Path, done: list[str]) -> list[str]:
    for line in done:
        log.warning("%s: recovered: %s", out, line)
    return done


def commit(out: Path, fmt: str, events: pa.Table, articles: pa.Table, build_id: str, layout: str | None = "same") -> str:
    """Write `events` and `articles` as a new generation and make it the store's current one with a single
    rename; the caller holds the lock. Returns the generation's name; raises StoreError (the store
    unchanged) when it cannot be written. `layout`: dataset.LAYOUT for a partitioned store, None for
    a generation store, "same" (default) for the store's own."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if (layout_of(out) if layout == "same" else layout) == dataset.LAYOUT:
        if fmt != "parquet":
            raise StoreError(f"a partitioned store is Parquet, not {fmt}")
        with staging(out, build_id) as stage:
            staged = dataset.write_rows(stage, build_id, events, articles)
            return commit_staged(out, stage, staged, build_id, rebuild=True)
    gens = _generations(out)
    gen = store_dir(out) / f"gen-{max(gens, default=0) + 1:06d}"
    legacy = sidecar_path(out)
    migrating = out.exists() and not out.is_symlink()  # a single-file store becomes a generation store
    replaces = [legacy.name] if migrating and legacy.exists() and not legacy.is_symlink() else []
    try:
        gen.mkdir(parents=True)
        parts = {"events": (f"events.{fmt}", lambda p: write_events_file(events, p, fmt), events.num_rows),
                 "articles": ("articles.parquet", lambda p: pq.write_table(articles, p), articles.num_rows)}
        files = {}
        for part, (name, write, rows) in parts.items():
            write(gen / name)
            _fsync(gen / name)
            files[part] = {"name": name, "rows": rows, "bytes": (gen / name).stat().st_size, "sha256": file_digest(gen / name)}
        manifest = {"format": fmt, "build": build_id, "created": dt.datetime.now(dt.timezone.utc).isoformat(),
                    "files": files, "replaces": replaces}
        _atomic(gen / MANIFEST, lambda p: p.write_text(json.dumps(manifest, indent=1), encoding="utf-8"))
        _fsync(gen)
        point_to(out, gen)
    except (OSError, ValueError, TypeError, pa.ArrowException) as e:
        shutil.rmtree(gen, ignore_errors=True)
        why = e.strerror if isinstance(e, OSError) and e.strerror else f"{type(e).__name__}: {e}"
        raise StoreError(f"cannot write the store {out}: {why}; it is unchanged") from e
    for name in replaces:
        (out.parent / name).unlink(missing_ok=True)
        log.info("%s: the single-file store is now %s (its %s is inside)", out, store_dir(out).name, name)
    recover(out)  # superseded generations go
    return gen.name


STAGE_PREFIX = "stage-"


def _stage_in_use(folder: Path) -> bool:
    """Whether the build that owns a stage folder is alive (it holds the folder's lock)."""
    try:
        fd = os.open(folder / "lock", os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


@contextmanager
def staging(out: Path, build_id: str) -> Iterator[Path]:
    """A folder for a build's rows while it runs, without the store's lock: its own lock says it is in
    use, so `recover` (of another build) leaves it, and removes it once its build is gone."""
    folder = store_dir(out) / f"{STAGE_PREFIX}{build_id}"
    folder.mkdir(parents=True)
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def commit_staged(out: Path, stage: Path, staged: dict[str, list[str]], build_id: str, rebuild: bool = False) -> str:
    """Commit a build's staged part files to a partitioned store (the caller holds the lock): a new
    generation of hard links to the current one's files plus the staged ones, then the one rename.
    Cost: the new rows and a link per stored file; nothing stored is read. A store of another layout
    (or a single-file store) is read once and becomes partitioned; `rebuild` starts from nothing."""
    gens = _generations(out)
    gen = store_dir(out) / f"gen-{max(gens, default=0) + 1:06d}"
    legacy = sidecar_path(out)
    migrating = out.exists() and not out.is_symlink()
    replaces = [legacy.name] if migrating and legacy.exists() and not legacy.is_symlink() else []
    try:
        current = current_generation(out)
        previous = None
        if not rebuild and current is not None and dataset.is_partitioned(manifest := read_manifest(current)):
            previous = (current, manifest)
        elif not rebuild and (current is not None or migrating):
            snap = read_snapshot(out)  # another layout: its rows become part files of this commit
            old = dataset.write_rows(stage / "old", f"{build_id}-0", snap.events, snap.articles)
            for part, names in old.items():
                for name in names:
                    dst = stage / part / name
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(stage / "old" / part / name, dst)
                    staged.setdefault(part, []).append(name)
        gen.mkdir(parents=True)
        files = dataset.assemble(gen, previous, stage, staged, file_digest, _fsync)
        text = dataset.dataset_manifest(files, build_id, dt.datetime.now(dt.timezone.utc).isoformat(), replaces)
        _atomic(gen / MANIFEST, lambda p: p.write_text(text, encoding="utf-8"))
        _fsync(gen)
        point_to(out, gen)
    except (OSError, ValueError, TypeError, KeyError, pa.ArrowException) as e:
        shutil.rmtree(gen, ignore_errors=True)
        why = e.strerror if isinstance(e, OSError) and e.strerror else f"{type(e).__name__}: {e}"
        raise StoreError(f"cannot write the store {out}: {why}; it is unchanged") from e
    for name in replaces:
        (out.parent / name).unlink(missing_ok=True)
    recover(out)
    return gen.name


def point_to(out: Path, gen: Path) -> None:
    """Make `gen` the store's current generation: one rename of a new link over `out` (the commit point)."""
    link = store_dir(out) / f".{gen.name}.link.tmp"
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(gen / read_manifest(gen)["files"]["events"]["name"], out.parent), link)
    os.replace(link, out)
    _fsync(out.parent)


def copy_store(src: Path, dst: Path) -> str:
    """A new store at `dst` holding what `src` holds now (its current commit, its review log and user
    places), in the same format: a store is its events file, its `.store` folder and a link between
    them, so copying files one by one does not copy it (copying the events file with its `.store`
    folder and the `.jsonl` files beside it, links kept, does)."""
    from events.review import log_path
    from gazetteer.user_places import path_for

    snap = read_snapshot(src)
    if snap is EMPTY:
        raise StoreError(f"no events store at {src}")
    with locked(dst):
        recover(dst)
        gen = commit(dst, snap.fmt or format_of(src), snap.events, snap.articles, "copy", layout=snap.layout)
        for beside in (log_path, path_for):
            if beside(src).exists():
                payload = beside(src).read_bytes()
                _atomic(beside(dst), lambda tmp: tmp.write_bytes(payload))
        return gen


def append_lines(path: Path, lines: list[str]) -> None:
    """Append lines to a log (the caller holds the store's lock, so writers do not interleave); a
    last line cut by a kill is ended first, so it spoils only itself."""
    if not lines:
        return
    data = "".join(line + "\n" for line in lines).encode("utf-8", "backslashreplace")
    with open(path, "a+b") as f:
        if f.seek(0, os.SEEK_END):
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                data = b"\n" + data
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
