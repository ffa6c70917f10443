"""The events store and the build: formats, atomic writes, incremental rebuilds, rejects, CLI, workers."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import events.pipeline as pipeline
from events.schema import COLUMNS
from events.pipeline import build
from events.store import events_table, read_store, sidecar_path, write_events

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


def test_parquet_store_with_articles_sidecar(tmp_path):
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
    assert not list(out.parent.glob("*.tmp")) and sidecar_path(out).exists()


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
    rejects = [json.loads(x) for x in (tmp_path / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r["input"] == "copy.txt" and "duplicate" in r["reason"] for r in rejects)


def test_bad_inputs_go_to_rejects_and_good_ones_are_kept(tmp_path):
    folder = corpus(tmp_path / "in")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bin.txt").write_bytes(b"\x00\x01\x02 binary")
    out = tmp_path / "out" / "events.parquet"
    summary = build([folder], out)
    rejects = {json.loads(x)["input"]: json.loads(x)["reason"]
               for x in (out.parent / "rejects.jsonl").read_text(encoding="utf-8").splitlines()}
    assert set(rejects) == {"empty.txt", "bin.txt"} and summary.rejected == 2
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
    line = json.loads((tmp_path / "rejects.jsonl").read_text(encoding="utf-8"))
    assert line == {"input": "a.txt", "reason": "extraction failed: RuntimeError: boom"}


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


def test_failed_write_leaves_the_previous_store_intact(tmp_path):
    out = tmp_path / "events.parquet"
    build([corpus(tmp_path / "in")], out)
    before = out.read_bytes()
    with pytest.raises(ValueError, match="unknown format"):
        write_events(events_table([]), out, "xml")
    assert out.read_bytes() == before and not list(tmp_path.glob("*.tmp"))


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
    assert res.returncode == 2 and "--workers must be at least 1" in res.stderr
