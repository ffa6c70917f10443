"""The events store and the build: formats, generations, incremental rebuilds, rejects, CLI, workers,
stores written by older code, recovery, the write lock and `check`."""
import json
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import events.pipeline as pipeline
from events.pipeline import build
from events.schema import COLUMNS, EVENT_SCHEMA, NUMERIC_COLUMNS
from events.store import (
    MANIFEST,
    copy_store,
    events_table,
    load,
    locked,
    read_store,
    rejects_path,
    sidecar_path,
    store_dir,
    write_articles,
    write_events,
)
from events.tables import ARTICLE_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = {
    "a.txt": "قصف مدفعي على بلدة كفرنبل\nقصفت قوات النظام بلدة كفرنبل بريف إدلب الجنوبي أمس ما أسفر عن مقتل ثلاثة مدنيين.",
    "b.txt": "انشقاق عناصر في ريف حمص\nأعلن عشرون عنصرا انشقاقهم عن قوات النظام في مدينة الرستن يوم الاثنين الماضي.",
    "c.txt": "حملة اعتقالات واسعة\nاعتقلت قوات النظام خمسة شبان في مدينة داعل.\nوأفادت مصادر بمقتل أربعة عناصر في كمين.",
}


def corpus(folder: Path, names=("a.txt", "b.txt")) -> Path:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text(ARTICLES[name], encoding="utf-8")
    (folder / "meta.csv").write_text("file,published,outlet\na.txt,2020-03-12,Outlet A\nb.txt,2020-03-12,Outlet B\n"
                                     "c.txt,2020-03-13,Outlet C\n", encoding="utf-8")
    return folder


def rejects_of(out: Path) -> list[dict]:
    return [json.loads(x) for x in rejects_path(out).read_text(encoding="utf-8").splitlines()]


def test_parquet_store_is_a_link_to_one_generation_with_its_articles(tmp_path):
    out = tmp_path / "store" / "events.parquet"
    summary = build([corpus(tmp_path / "in")], out)
    ev, arts = read_store(out)
    assert list(ev.columns) == COLUMNS and len(ev) == summary.events_total > 0
    assert sorted(arts["doc"]) == ["a.txt", "b.txt"] and set(ev["article_id"]) <= set(arts["article_id"])
    a = arts.set_index("doc").loc["a.txt"]
    mentions = json.loads(a["mentions"])
    assert mentions and all(a["text"][m["start"]:m["end"]] == m["text"] for m in mentions)
    assert a["published"] == "2020-03-12" and a["source"] == "Outlet A"
    kfr = ev[ev["doc"] == "a.txt"].iloc[0]
    assert (kfr["event_type"], kfr["count"], kfr["event_date"]) == ("shelling", 3, "2020-03-11")
    gen = out.resolve().parent
    assert out.is_symlink() and gen.parent == store_dir(out) and (gen / MANIFEST).exists()
    assert sorted(p.name for p in gen.iterdir()) == ["articles.parquet", "events.parquet", MANIFEST]
    assert pd.read_parquet(out).shape[0] == len(ev)  # other tools read the link as the events file
    assert not list(tmp_path.rglob("*.tmp")) and not sidecar_path(out).exists()


def test_incremental_build_adds_only_the_new_articles_events(tmp_path):
    folder = corpus(tmp_path / "in")
    out = tmp_path / "events.parquet"
    first = build([folder], out)
    before, _ = read_store(out)
    (folder / "c.txt").write_text(ARTICLES["c.txt"], encoding="utf-8")
    second = build([folder], out)
    after, arts = read_store(out)
    assert (second.articles_new, second.already_stored) == (1, 2)
    new = after[~after["event_id"].isin(before["event_id"])]
    assert len(new) == second.events_new > 0 and set(new["doc"]) == {"c.txt"}
    assert len(after) == first.events_total + second.events_new and len(arts) == 3
    assert build([folder], out).articles_new == 0  # nothing new: nothing added
    assert len(read_store(out)[0]) == len(after)


def test_same_article_twice_is_stored_once(tmp_path):
    folder = corpus(tmp_path / "in")
    (folder / "copy.txt").write_text(ARTICLES["a.txt"] + "\n", encoding="utf-8")
    summary = build([folder], tmp_path / "events.parquet")
    assert summary.duplicates == 1 and summary.articles_new == 2
    assert any(r["input"] == "copy.txt" and "duplicate" in r["reason"] for r in rejects_of(tmp_path / "events.parquet"))


def test_bad_inputs_go_to_rejects_and_good_ones_are_kept(tmp_path):
    folder = corpus(tmp_path / "in")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bin.txt").write_bytes(b"\x00\x01\x02 binary")
    out = tmp_path / "out" / "events.parquet"
    summary = build([folder], out)
    rejects = {r["input"]: r["reason"] for r in rejects_of(out)}
    assert set(rejects) == {"empty.txt", "bin.txt"} and summary.rejected == 2
    assert {(r.input, r.reason) for r in summary.rejects} == set(rejects.items())
    assert sorted(read_store(out)[1]["doc"]) == ["a.txt", "b.txt"]


def test_an_article_that_breaks_extraction_is_rejected_not_fatal(tmp_path, monkeypatch):
    real = pipeline.extract

    def flaky(article, doc, mentions):
        if article.doc == "a.txt":
            raise RuntimeError("boom")
        return real(article, doc, mentions)

    monkeypatch.setattr(pipeline, "extract", flaky)
    summary = build([corpus(tmp_path / "in")], tmp_path / "events.parquet")
    assert summary.rejected == 1 and summary.articles_new == 1
    assert rejects_of(tmp_path / "events.parquet") == [
        {"build": summary.build_id, "input": "a.txt", "reason": "extraction failed: RuntimeError: boom"}]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_every_format_round_trips(tmp_path, fmt):
    folder = corpus(tmp_path / "in", names=("a.txt", "b.txt", "c.txt"))
    ref = tmp_path / "ref.parquet"
    build([folder], ref)
    out = tmp_path / f"events.{fmt}"
    build([folder], out, fmt=fmt)
    expected, _ = read_store(ref)
    got, _ = read_store(out)
    assert list(got.columns) == COLUMNS
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))


def test_geojson_is_points_with_all_columns(tmp_path):
    out = tmp_path / "events.geojson"
    build([corpus(tmp_path / "in", names=("a.txt", "b.txt", "c.txt"))], out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["features"]
    for f in doc["features"]:
        assert list(f["properties"]) == COLUMNS
        p = f["properties"]
        if p["latitude"] is None:
            assert f["geometry"] is None  # unlocated events are kept, without a point
        else:
            assert f["geometry"] == {"type": "Point", "coordinates": [p["longitude"], p["latitude"]]}
    assert any(f["geometry"] is None for f in doc["features"])


def test_failed_write_leaves_the_previous_store_intact(tmp_path, monkeypatch):
    out = tmp_path / "events.parquet"
    folder = corpus(tmp_path / "in")
    build([folder], out)
    before = out.read_bytes()
    with pytest.raises(ValueError, match="unknown format"):
        write_events(events_table([]), out, "xml")

    def full(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("events.store.write_events_file", full)
    (folder / "c.txt").write_text(ARTICLES["c.txt"], encoding="utf-8")
    summary = build([folder], out)
    assert summary.error == f"cannot write the store {out}: No space left on device; it is unchanged"
    assert out.read_bytes() == before and not list(tmp_path.rglob("*.tmp"))
    assert sorted(p.name for p in store_dir(out).iterdir()) == ["gen-000001", "lock"]


def test_cli_builds_with_two_workers_like_with_one(tmp_path):
    folder = corpus(tmp_path / "in", names=("a.txt", "b.txt", "c.txt"))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for out, workers in ((one, "1"), (two, "2")):
        res = subprocess.run([sys.executable, "-m", "events", "build", str(folder), "--out", str(out),
                              "--workers", workers], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        assert "new events from 3 new articles" in res.stdout
    rows = [[json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()] for p in (one, two)]
    assert rows[0] == rows[1] and rows[0]


def test_cli_rejects_bad_arguments(tmp_path):
    res = subprocess.run([sys.executable, "-m", "events", "build", str(tmp_path), "--out", str(tmp_path / "x.parquet"),
                          "--workers", "0"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "--workers: must be at least 1" in res.stderr


def write_old_store(out: Path, folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A store as older code wrote it (FILE.parquet and FILE.articles.parquet as plain files)."""
    ref = build([folder], out.with_name("ref.parquet"))
    assert not ref.error
    events, articles = read_store(ref.out)
    write_events(arrow(events, EVENT_SCHEMA), out, "parquet")
    write_articles(arrow(articles, ARTICLE_SCHEMA), out)
    return events, articles


def arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def test_a_store_written_by_older_code_reads_and_becomes_generations_at_its_next_build(tmp_path, caplog):
    folder = corpus(tmp_path / "in")
    out = tmp_path / "old.parquet"
    events, articles = write_old_store(out, folder)
    got, got_articles = read_store(out)
    pd.testing.assert_frame_equal(got, events)
    (folder / "c.txt").write_text(ARTICLES["c.txt"], encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="events.store"):
        summary = build([folder], out)
    assert (summary.articles_new, summary.already_stored) == (1, 2)
    assert out.is_symlink() and not sidecar_path(out).exists()
    assert any("single-file store is now old.parquet.store" in r.message for r in caplog.records)
    after, after_articles = read_store(out)
    assert len(after_articles) == 3 and set(events["event_id"]) < set(after["event_id"])


def test_events_left_without_their_article_by_a_killed_old_build_are_extracted_again(tmp_path):
    """Older code wrote the events, then the articles: a kill between left events whose articles were
    missing, and every later build counted them as stored. Now a re-run stores the article, without
    doubling its events."""
    folder = corpus(tmp_path / "in")
    out = tmp_path / "old.parquet"
    events, articles = write_old_store(out, folder)
    write_articles(arrow(articles[articles["doc"] == "a.txt"], ARTICLE_SCHEMA), out)
    summary = build([folder], out)
    assert (summary.articles_new, summary.already_stored) == (1, 1)
    after, after_articles = read_store(out)
    assert sorted(after_articles["doc"]) == ["a.txt", "b.txt"]
    assert sorted(after["event_id"]) == sorted(events["event_id"])


def test_each_store_has_its_own_rejects_log_appended_per_build(tmp_path):
    folder = corpus(tmp_path / "in")
    (folder / "empty.txt").write_bytes(b"")
    one, two = tmp_path / "events.parquet", tmp_path / "events.csv"
    first, second = build([folder], one), build([folder], one)
    other = build([folder], two)
    assert rejects_path(one).name == "events.parquet.rejects.jsonl"
    assert [(r["build"], r["input"]) for r in rejects_of(one)] == [(first.build_id, "empty.txt"), (second.build_id, "empty.txt")]
    assert [r["build"] for r in rejects_of(two)] == [other.build_id] and first.build_id != second.build_id
    assert not (tmp_path / "rejects.jsonl").exists()


def test_a_csv_store_has_no_formula_cells_and_still_round_trips(tmp_path):
    folder = corpus(tmp_path / "in")
    (folder / "meta.csv").write_text('file,title,outlet\na.txt,"=HYPERLINK(""http://x"",""y"")",@SUM(A1)\n'
                                     "b.txt,'quoted,-1+2\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    build([folder], out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    text = frame[[c for c in COLUMNS if c not in NUMERIC_COLUMNS]]
    assert not text.map(lambda v: v.startswith(("=", "+", "-", "@", "\t", "\r"))).any().any()
    events, _ = read_store(out)
    assert set(events["title"]) == {'=HYPERLINK("http://x","y")', "'quoted"}
    assert set(events["source"]) == {"@SUM(A1)", "-1+2"}


def test_recovery_on_open_removes_what_a_killed_build_left_with_a_log_line(tmp_path, caplog):
    folder = corpus(tmp_path / "in")
    out = tmp_path / "events.parquet"
    build([folder], out)
    build([folder / "a.txt"], out, rebuild=True)  # a second generation: the first is kept as the previous one
    half, uncommitted = store_dir(out) / "gen-000003", store_dir(out) / "gen-000004"
    half.mkdir()
    (half / "events.parquet").write_bytes(b"PAR1 cut short")
    uncommitted.mkdir()
    for p in (out.resolve().parent).iterdir():
        (uncommitted / p.name).write_bytes(p.read_bytes())
    (tmp_path / ".events.parquet.x1y2.tmp").write_bytes(b"half")
    (store_dir(out) / ".gen-000004.link.tmp").symlink_to("nowhere")
    with caplog.at_level(logging.WARNING, logger="events.store"):
        loaded = load(out)
    assert loaded.error is None and list(loaded.articles["doc"]) == ["a.txt"]
    lines = [r.message for r in caplog.records]
    assert sum("recovered: removed" in m for m in lines) == 4, lines
    assert any("gen-000003, a generation a killed build wrote but never committed" in m for m in lines)
    assert sorted(p.name for p in store_dir(out).iterdir()) == ["gen-000001", "gen-000002", "lock"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_second_writer_waits_for_the_lock_and_keeps_both_batches(tmp_path, caplog):
    folder = corpus(tmp_path / "in")
    out = tmp_path / "events.parquet"
    build([folder / "a.txt"], out)
    done = []
    with caplog.at_level(logging.INFO, logger="events.store"):
        with locked(out):
            writer = threading.Thread(target=lambda: done.append(build([folder / "b.txt"], out)))
            writer.start()
            time.sleep(1.5)
            assert writer.is_alive() and not done  # extraction finished; the commit waits for the lock
        writer.join(60)
    assert done and not done[0].error and done[0].articles_new == 1
    assert any("waiting for it to finish" in r.message for r in caplog.records)
    assert sorted(read_store(out)[1]["doc"]) == ["a.txt", "b.txt"]


def test_copy_store_copies_the_current_commit_of_any_store(tmp_path):
    folder = corpus(tmp_path / "in")
    old, new = tmp_path / "old.parquet", tmp_path / "new.csv"
    write_old_store(old, folder)
    build([folder], new)
    for src in (old, new):
        dst = tmp_path / "copies" / src.name
        copy_store(src, dst)
        pd.testing.assert_frame_equal(read_store(dst)[0], read_store(src)[0])
        pd.testing.assert_frame_equal(read_store(dst)[1], read_store(src)[1])
        assert dst.is_symlink() and dst.resolve().suffix == src.suffix


def run_check(store: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "events", "check", str(store)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_check_rolls_a_damaged_generation_back_and_says_what_to_re_run(tmp_path):
    folder = corpus(tmp_path / "in")
    out = tmp_path / "events.parquet"
    build([folder / "a.txt"], out)
    build([folder / "b.txt"], out)
    assert run_check(out).stdout.strip() == f"{out}: ok"
    with open(out.resolve(), "r+b") as f:  # a disk error in the current events file
        f.seek(100)
        f.write(b"\0" * 50)
    res = run_check(out)
    assert res.returncode == 0, res.stderr
    assert "problem: gen-000002/events.parquet does not match its checksum" in res.stdout
    assert "repaired: rolled back from gen-000002 to gen-000001" in res.stdout
    assert list(read_store(out)[1]["doc"]) == ["a.txt"]
    assert build([folder], out).articles_new == 1  # the re-run adds what the rollback lost
    assert sorted(read_store(out)[1]["doc"]) == ["a.txt", "b.txt"]


def test_check_repairs_an_old_store_orphans_duplicates_and_a_cut_rejects_line(tmp_path):
    folder = corpus(tmp_path / "in")
    out = tmp_path / "old.parquet"
    events, articles = write_old_store(out, folder)
    a_events = events[events["doc"] == "a.txt"]
    write_events(arrow(pd.concat([events, a_events, a_events]), EVENT_SCHEMA), out, "parquet")
    write_articles(arrow(articles[articles["doc"] == "a.txt"], ARTICLE_SCHEMA), out)
    rejects_path(out).write_text('{"build": "x", "input": "a", "reason": "r"}\n{"build": "y", "inp', encoding="utf-8")
    res = run_check(out)
    assert res.returncode == 0, res.stderr
    assert f"problem: {2 * len(a_events)} events with a duplicate event_id" in res.stdout
    assert f"repaired: removed {2 * len(a_events)} duplicate events" in res.stdout
    assert "articles whose text is not stored" in res.stdout and "re-run the build to extract them again" in res.stdout
    assert "repaired: dropped 1 unreadable lines of old.parquet.rejects.jsonl" in res.stdout
    after, _ = read_store(out)
    assert out.is_symlink() and set(after["doc"]) == {"a.txt"} and after["event_id"].is_unique
    assert run_check(out).stdout.strip() == f"{out}: ok"


@pytest.mark.parametrize("make, message", [
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: p.write_bytes(b"not parquet at all"), "is not a readable events store"),
    (lambda p: None, "no store at"),
])
def test_check_says_what_it_cannot_repair(tmp_path, make, message):
    out = tmp_path / "events.parquet"
    make(out)
    res = run_check(out)
    assert res.returncode == 1 and message in res.stderr and "Traceback" not in res.stderr
