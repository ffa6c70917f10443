"""Saving uploads safely and feeding them to the events build one file at a time."""
from __future__ import annotations

from dashboard import ingest
from events.store import read_store


def test_save_uploads_keeps_names_inside_the_folder(tmp_path) -> None:
    saved = ingest.save_uploads(
        [("../../etc/a b.txt", b"x"), ("a b.txt", b"y"), ("rows.jsonl", b"{}"), (".hidden.txt", b"z")], tmp_path)
    assert [p.name for p in saved] == ["a_b.txt", "a_b-1.txt", "rows.jsonl", "hidden.txt"]
    assert all(p.parent == tmp_path for p in saved)
    assert [p.read_bytes() for p in saved] == [b"x", b"y", b"{}", b"z"]


def test_the_uploader_offers_what_the_reader_reads_and_the_build_gives_the_rejects(tmp_path) -> None:
    from events.corpus import ARTICLE_SUFFIXES

    assert ingest.UPLOAD_TYPES == [s.lstrip(".") for s in ARTICLE_SUFFIXES]
    folder = tmp_path / "batch"
    folder.mkdir()
    ingest.save_uploads([("scan.pdf", b"%PDF-1.4"), ("blob.txt", b"\x00\x01" * 50)], folder)
    outcome = ingest.add_files([folder], tmp_path / "events.parquet", lambda *_: None)
    reasons = {r["input"]: r["reason"] for r in outcome.rejects}
    assert "unsupported file type" in reasons["scan.pdf"] and "binary" in reasons["blob.txt"]


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
    assert outcome.events_new == len(events) >= 3 and sorted(outcome.event_ids) == sorted(events["event_id"])
    assert [r["input"] for r in outcome.rejects] == ["empty.txt"]
    again = ingest.add_files([good], store, lambda *_: None)
    assert again.already_stored == 1 and again.articles_new == 0
    assert again.rejects == []  # only this upload's rejects, not the store's whole log


def test_a_store_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("قصفت الطائرات مدينة سراقب يوم 3 آذار 2016.", encoding="utf-8")
    corrupt = tmp_path / "events.parquet"
    corrupt.write_bytes(b"not a parquet file")
    outcome = ingest.add_files([good], corrupt, lambda *_: None)
    assert outcome.error and outcome.events_new == 0
    assert corrupt.read_bytes() == b"not a parquet file"


def test_article_estimates_for_the_progress_bar_come_from_the_reader(tmp_path) -> None:
    from events.corpus import estimate_articles

    csv = tmp_path / "a.csv"
    csv.write_text("text,title\nx,1\ny,2\n\n", encoding="utf-8")
    assert estimate_articles(csv) == 2
    assert estimate_articles(tmp_path / "b.txt") == 1
