"""Saving uploads safely and feeding them to the events build one file at a time."""
from __future__ import annotations

from dashboard import ingest
from events.store import read_store


def test_save_uploads_keeps_names_inside_the_folder_and_refuses_other_types(tmp_path) -> None:
    saved, rejects = ingest.save_uploads(
        [("../../etc/a b.txt", b"x"), ("a b.txt", b"y"), ("rows.jsonl", b"{}"), ("scan.pdf", b"%PDF")], tmp_path)
    assert [p.name for p in saved] == ["a_b.txt", "a_b-1.txt", "rows.jsonl"]
    assert all(p.parent == tmp_path for p in saved)
    assert [p.read_bytes() for p in saved] == [b"x", b"y", b"{}"]
    assert rejects == [{"input": "scan.pdf", "reason": "unsupported file type (want .txt, .csv, .jsonl)"}]


def test_add_files_reports_progress_new_events_and_rejects(tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("حمص - انشق 20 عنصرا من قوات النظام في مدينة تلكلخ يوم 5 أيار 2012.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    store = tmp_path / "out" / "events.parquet"
    store.parent.mkdir()
    calls = []
    outcome = ingest.add_files([good, empty, good], store, lambda done, total, name: calls.append((done, total, name)))
    assert calls == [(1, 3, "good.txt"), (2, 3, "empty.txt"), (3, 3, "good.txt")]
    events, articles = read_store(store)
    assert outcome.articles_new == len(articles) == 1 and outcome.already_stored == 1
    assert outcome.events_new == len(events) >= 1
    assert [r["input"] for r in outcome.rejects] == ["empty.txt"]
