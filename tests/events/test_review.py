"""The review log: durable appends, concurrent writers, a killed writer, bad lines, and decisions that
outlive a rebuild of the store."""
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from events.pipeline import build
from events.review import Decision, append, apply_log, log_path, main, read, stats
from events.store import read_store
from tests.conftest import ROOT


def _events() -> pd.DataFrame:
    return pd.DataFrame({"event_id": ["a", "b", "c"], "event_type": ["shelling", "airstrike", "clashes"],
                         "count": [3, None, 5], "place_id": ["C1", "C2", "C3"]})


def test_decisions_apply_in_order_and_keep_the_machine_values(tmp_path):
    log = tmp_path / "s.review.jsonl"
    append(log, Decision("a", "correct", "rima", changes={"event_type": "airstrike", "count": 4},
                         before={"event_type": "shelling", "count": 3}))
    append(log, Decision("a", "confirm", "omar"))
    append(log, Decision("b", "reject", "rima", reason="duplicate", duplicate_of="a"))
    append(log, Decision("gone", "confirm", "rima"))
    decisions, problems = read(log)
    applied = apply_log(_events(), decisions, problems)
    e = applied.events.set_index("event_id")
    assert e.loc["a", ["event_type", "count", "machine_event_type", "machine_count", "review_status"]].tolist() == \
        ["airstrike", 4, "shelling", 3, "corrected"]
    assert e.loc["a", "reviewed_by"] == "omar"
    assert e.loc["b", "review_status"] == "rejected" and e.loc["c", "review_status"] == "unreviewed"
    assert [d.event_id for d in applied.orphans] == ["gone"]
    assert stats(applied)["status"] == {"unreviewed": 1, "confirmed": 0, "corrected": 1, "rejected": 1}


@pytest.mark.parametrize("bad", [dict(action="delete"), dict(action="reject"), dict(action="correct"),
                                 dict(action="correct", changes={"evidence": "x"}), dict(action="confirm", who=" ")])
def test_a_decision_says_what_is_wrong_with_it(bad):
    with pytest.raises(ValueError):
        Decision(**{"event_id": "a", "who": "rima", **bad})


def test_a_malformed_line_is_reported_and_the_rest_applied(tmp_path):
    log = tmp_path / "s.review.jsonl"
    append(log, Decision("a", "confirm", "rima"))
    with open(log, "a", encoding="utf-8") as f:
        f.write('{"event_id": "b", "action": "explode"}\n{not json\n')
    append(log, Decision("c", "reject", "rima", reason="not_event"))
    decisions, problems = read(log)
    assert [d.event_id for d in decisions] == ["a", "c"] and len(problems) == 2
    assert all("skipped" in p for p in problems)


_WRITER = """
import sys
from pathlib import Path
from events.review import Decision, append
for i in range(int(sys.argv[3])):
    append(Path(sys.argv[1]), Decision(f"{sys.argv[2]}-{i}", "confirm", sys.argv[2], comment="x" * 2000))
"""


def test_two_concurrent_writers_lose_nothing(tmp_path):
    log = tmp_path / "s.review.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(log), name, "150"], cwd=ROOT) for name in ("w1", "w2")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    decisions, problems = read(log)
    assert not problems and len(decisions) == 300
    assert {d.event_id for d in decisions} == {f"w{k}-{i}" for k in (1, 2) for i in range(150)}


def test_a_writer_killed_mid_stream_leaves_a_readable_log(tmp_path):
    log = tmp_path / "s.review.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(log), "w", "100000"], cwd=ROOT)
    deadline = time.time() + 60
    while (not log.exists() or log.stat().st_size < 200_000) and time.time() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before, problems = read(log)
    assert len(before) > 50 and len(problems) <= 1
    append(log, Decision("after", "confirm", "rima"))
    after, _ = read(log)
    assert after[-1].event_id == "after" and len(after) == len(before) + 1


def test_decisions_outlive_a_rebuild_and_the_cli_reports_them(tmp_path, capsys):
    store = tmp_path / "events.parquet"
    build([ROOT / "seeds"], store)
    events, _ = read_store(store)
    first, second = events["event_id"].iloc[0], events["event_id"].iloc[1]
    assert main(["apply", str(store), "--who", "rima", "reject", first, "--reason", "not_event"]) == 0
    assert main(["apply", str(store), "--who", "rima", "correct", second, "--set", "count=7"]) == 0
    assert main(["apply", str(store), "--who", "rima", "correct", second, "--set", "colour=red"]) != 0
    build([ROOT / "seeds"], store, rebuild=True)
    events, _ = read_store(store)
    applied = apply_log(events, *read(log_path(store)))
    e = applied.events.set_index("event_id")
    assert e.loc[first, "review_status"] == "rejected" and e.loc[second, "count"] == 7
    capsys.readouterr()
    assert main(["stats", str(store)]) == 0
    assert json.loads(capsys.readouterr().out)["status"]["rejected"] == 1


def test_a_decision_on_an_event_whose_article_was_removed_is_reported_not_dropped(tmp_path, capsys):
    from events.check import check

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    kept, removed = sorted((ROOT / "seeds").glob("*.txt"))[:2]
    for f in (kept, removed):
        (corpus / f.name).write_bytes(f.read_bytes())
    store = tmp_path / "events.parquet"
    build([corpus], store)
    events, _ = read_store(store)
    gone_article = events.loc[events["doc"] == removed.name, "event_id"].iloc[0]
    stays = events.loc[events["doc"] == kept.name, "event_id"].iloc[0]
    append(log_path(store), Decision(gone_article, "reject", "rima", reason="duplicate"))
    append(log_path(store), Decision(stays, "confirm", "rima"))
    (corpus / removed.name).unlink()
    build([corpus], store, rebuild=True)
    capsys.readouterr()
    assert main(["stats", str(store)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["orphans"] == [gone_article] and out["status"]["confirmed"] == 1
    assert [d.event_id for d in read(log_path(store))[0]] == [gone_article, stays]  # the log keeps it
    report = check(store)
    assert report.ok and any("no longer holds" in p for p in report.problems)


def test_copies_carry_the_review_and_builds_resolve_user_places_without_reading_them_as_articles(tmp_path):
    from events.review import add_place, load
    from events.store import copy_store
    from gazetteer.user_places import UserPlace, path_for

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = corpus / "events.parquet"  # the store inside the folder it is built from
    (corpus / "a.txt").write_text("قصفت قوات النظام مدينة حماة يوم 3 آذار 2014 ما أدى إلى مقتل ثلاثة مدنيين.", encoding="utf-8")
    build([corpus], store)
    first = read_store(store)[0]["event_id"].iloc[0]
    append(log_path(store), Decision(first, "confirm", "rima"))
    dirbu = UserPlace("ديربو", 34.62, 37.35, "rima", "2024-01-01T00:00:00+00:00", name_en="Dirbu")
    add_place(store, dirbu)
    (corpus / "b.txt").write_text("قصفت قوات النظام قرية ديربو يوم 5 آذار 2014 ما أدى إلى مقتل مدنيين.", encoding="utf-8")
    summary = build([corpus], store)
    assert summary.rejected == 0 and summary.articles_new == 1  # neither .jsonl beside the store is an input
    events = read_store(store)[0]
    new = events[events["doc"] == "b.txt"]
    assert new["place_id"].tolist() == [dirbu.place_id] and new["latitude"].tolist() == [34.62]
    copy = tmp_path / "copy.parquet"
    copy_store(store, copy)
    assert load(copy).applied.events.set_index("event_id").loc[first, "review_status"] == "confirmed"
    assert path_for(copy).read_bytes() == path_for(store).read_bytes()
