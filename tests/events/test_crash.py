"""Issue 14: builds killed at any moment, and builds running at the same time, lose nothing.

A kill at each step of a commit (forked child, os._exit at the k-th file operation) and kill -9 at
random moments of real `python -m events build` processes always leave a store that opens, whose
events all have their article, and that a re-run completes; two concurrent builds into one store
keep both batches.
"""
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from events.pipeline import build
from events.store import commit, load, locked, read_snapshot, store_dir

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def write_batch(folder: Path, n: int, tag: str) -> set[str]:
    """n distinct articles (seed texts, each with a sentence of its own) in `folder`; their doc names."""
    folder.mkdir(parents=True, exist_ok=True)
    names = set()
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
        name = f"{tag}-{i:03d}.txt"
        (folder / name).write_text(f"{seed}\nوذكر المراسل أن الخبر رقم {tag} {i} وصل متأخرا.\n", encoding="utf-8")
        names.add(f"{folder.name}/{name}")
    return names


def stored_docs(out: Path) -> set[str]:
    loaded = load(out)
    assert loaded.error is None, loaded.error
    assert set(loaded.events["article_id"]) <= set(loaded.articles["article_id"])  # no event without its article
    return set(loaded.articles["doc"])


def cli_build(inputs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "events", "build", str(inputs), "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_kill_at_every_step_of_a_commit_leaves_a_store_that_opens_and_a_re_run_completes(tmp_path):
    inputs = tmp_path / "in"
    out = tmp_path / "events.parquet"
    expected = write_batch(inputs / "b0", 2, "b0")
    assert not build([inputs], out).error
    build([ROOT / "seeds" / "seeds.csv"], tmp_path / "warm.parquet")  # load the gazetteer before forking
    steps = ("fsync", "replace", "symlink", "mkdir", "rename", "unlink", "rmdir")
    for k in range(1, 60):
        expected |= write_batch(inputs / f"b{k}", 1, f"b{k}")
        pid = os.fork()
        if pid == 0:  # the child dies (like kill -9: no cleanup) at its k-th file operation
            calls = [0]
            for name in steps:
                def dying(*a, _real=getattr(os, name), **kw):
                    calls[0] += 1
                    if calls[0] == k:
                        os._exit(9)
                    return _real(*a, **kw)
                setattr(os, name, dying)
            build([inputs], out)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        stored_docs(out)  # whatever the moment of the kill, the store opens and is consistent
        assert not list(tmp_path.glob(".*.tmp"))
        if os.waitstatus_to_exitcode(status) == 0:
            break  # k passed the last file operation: the whole commit was tried
        assert not build([inputs], out).error
        assert stored_docs(out) == expected, k
    else:
        pytest.fail("the build never finished: more file operations than expected")
    print(f"\nkilled at each of the {k - 1} file operations of a build")
    assert k > 8  # the kills did land in the commit's steps, not before it
    assert stored_docs(out) == expected


def test_two_concurrent_builds_into_one_store_keep_both_batches(tmp_path):
    out = tmp_path / "events.parquet"
    first = write_batch(tmp_path / "one" / "a", 30, "a")
    second = write_batch(tmp_path / "two" / "b", 30, "b")
    t0 = time.monotonic()
    procs = [cli_build(tmp_path / "one", out), cli_build(tmp_path / "two", out)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert all("new events from 30 new articles" in stdout for stdout, _ in results), results
    assert time.monotonic() - t0 < 120
    assert stored_docs(out) == first | second


def prefill(out: Path, copies: int) -> None:
    """A big store (the seeds' events and articles `copies` times, with ids of their own), so a build
    spends much of its time reading and writing it, where a kill matters."""
    assert not build([ROOT / "seeds"], out).error
    snap = read_snapshot(out)

    def copy(table: pa.Table, i: int) -> pa.Table:
        for col in ("article_id", "event_id"):
            if col in table.column_names:
                table = table.set_column(table.column_names.index(col), col,
                                         pc.binary_join_element_wise(table.column(col), pa.scalar(f"-{i}"), ""))
        return table

    with locked(out):
        commit(out, "parquet", pa.concat_tables([copy(snap.events, i) for i in range(copies)]),
               pa.concat_tables([copy(snap.articles, i) for i in range(copies)]), "prefill")


@pytest.mark.slow
def test_kill_9_at_random_points_of_20_builds_never_loses_an_article(tmp_path):
    out = tmp_path / "events.parquet"
    prefill(out, 300)
    inputs = tmp_path / "in"
    expected = set()
    rng = random.Random(14)
    t = time.monotonic()
    expected |= write_batch(inputs / "b00", 5, "b00")
    assert cli_build(inputs, out).wait(120) == 0
    full = time.monotonic() - t
    killed_after_commit = 0
    for k in range(1, 21):
        expected |= write_batch(inputs / f"b{k:02d}", 5, f"b{k:02d}")
        before = read_snapshot(out).generation
        proc = cli_build(inputs, out)
        time.sleep(rng.uniform(0.5, 1.05) * full)
        proc.kill()  # SIGKILL: no cleanup of any kind
        proc.wait(60)
        batch = {d for d in expected if d.startswith(f"b{k:02d}/")}
        assert expected - batch <= stored_docs(out)  # the kill took nothing an earlier build stored
        killed_after_commit += read_snapshot(out).generation != before
        rerun = cli_build(inputs, out)
        assert rerun.wait(120) == 0, rerun.stderr.read()
        assert {d for d in stored_docs(out) if d.startswith("b")} == expected
    print(f"\n20 builds killed at random points ({full:.1f} s per build); {killed_after_commit} after their commit")
    assert len([p for p in store_dir(out).iterdir() if p.name.startswith("gen-")]) == 2  # current and previous
