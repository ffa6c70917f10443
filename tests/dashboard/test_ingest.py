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


def test_add_files_reports_progress_per_article_new_events_and_rejects(tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("حمص - انشق 20 عنصرا من قوات النظام في مدينة تلكلخ يوم 5 أيار 2012.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "قصفت الطائرات مدينة سراقب يوم 3 آذار 2016."}\n\n'
                    '{"text": "اعتقلت قوات النظام خمسة شبان في مدينة جاسم يوم 7 أيار 2013."}\n', encoding="utf-8")
    store = tmp_path / "out" / "events.parquet"
    store.parent.mkdir()
    calls = []
    outcome = ingest.add_files([good, empty, rows], store, lambda done, total, name: calls.append((done, total, name)))
    assert [(done, total) for done, total, _ in calls] == [(1, 4), (2, 4), (3, 4)]
    assert calls[0][2] == "good.txt" and calls[1][2].startswith("rows.jsonl")
    events, articles = read_store(store)
    assert outcome.articles_new == len(articles) == 3 and outcome.already_stored == 0
    assert outcome.events_new == len(events) >= 3
    assert [r["input"] for r in outcome.rejects] == ["empty.txt"]
    again = ingest.add_files([good], store, lambda *_: None)
    assert again.already_stored == 1 and again.articles_new == 0


def test_estimate_articles_counts_data_lines(tmp_path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("text,title\nx,1\ny,2\n\n", encoding="utf-8")
    assert ingest.estimate_articles(csv) == 2
    assert ingest.estimate_articles(tmp_path / "b.txt") == 1
