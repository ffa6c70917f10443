"""Issue 14: every bad record found by trying the build as an attacker would is a reject with its
reason, and the batch it came in keeps all its good articles. Each case crashed the whole batch, or
lost good articles, before (exit 1, no store, no rejects)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import events.pipeline as pipeline
from events.pipeline import build
from events.plausible import check_event, date_max
from events.store import read_store, rejects_path

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "a.txt": "قصف مدفعي على بلدة كفرنبل\nقصفت قوات النظام بلدة كفرنبل بريف إدلب الجنوبي أمس ما أسفر عن مقتل ثلاثة مدنيين.",
    "b.txt": "انشقاق عناصر في ريف حمص\nأعلن عشرون عنصرا انشقاقهم عن قوات النظام في مدينة الرستن يوم الاثنين الماضي.",
}
ARREST = "اعتقلت قوات النظام خمسة شبان في مدينة داعل بريف درعا يوم 3 آذار 2013."
KILLED = "قتل عشرة مدنيين في قصف على مدينة جاسم يوم 5 أيار 2013."


def good_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def jsonl(*rows: object) -> str:
    """Rows as JSONL with \\u escapes, so a lone surrogate can be written to a file."""
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def build_with(tmp_path: Path, extra_paths=(), **kw):
    out = tmp_path / "out" / "events.parquet"
    summary = build([good_corpus(tmp_path / "in"), *extra_paths], out, **kw)
    assert summary.error is None, summary.error
    events, articles = read_store(out)
    return summary, events, articles, {r.input: r for r in summary.rejects}


def unreadable(folder: Path, monkeypatch) -> None:
    """Make `folder` unreadable as it would be to a user without permission (the tests run as root,
    which reads anything)."""
    real_scandir, real_listdir = os.scandir, os.listdir

    def deny(real):
        def call(path="."):
            if Path(path) == folder:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)
        return call

    monkeypatch.setattr(os, "scandir", deny(real_scandir))
    monkeypatch.setattr(os, "listdir", deny(real_listdir))


# (case, files to write in the input folder as name -> str|bytes, the reject's input, part of its reason,
#  docs stored besides the good ones)
CASES = [
    ("lone surrogate in a JSONL text", {"rows.jsonl": jsonl({"text": "\ud800" + ARREST}, {"text": KILLED})},
     "rows.jsonl:1", "invalid Unicode in field 'text': lone surrogate", ["rows.jsonl:2"]),
    ("lone surrogate in a JSONL title", {"rows.jsonl": jsonl({"text": ARREST, "title": "x\ud800"}, {"text": KILLED})},
     "rows.jsonl:1", "invalid Unicode in field 'title'", ["rows.jsonl:2"]),
    ("JSONL nested 2,000 deep", {"rows.jsonl": jsonl("[" * 2000 + "]" * 2000, {"text": KILLED})},
     "rows.jsonl:1", "invalid JSON: nested too deeply", ["rows.jsonl:2"]),
    ("an integer of 5,000 digits in JSONL", {"rows.jsonl": jsonl('{"text": "x", "n": ' + "9" * 5000 + "}", {"text": KILLED})},
     "rows.jsonl:1", "invalid JSON", ["rows.jsonl:2"]),
    ("a NUL byte in one CSV row", {"rows.csv": f'text\n"{ARREST}"\n"x\x00y"\n"{KILLED}"\n'},
     "rows.csv:3", "NUL byte in field 'text'", ["rows.csv:2", "rows.csv:4"]),
    ("a NUL byte in one JSONL row", {"rows.jsonl": jsonl({"text": KILLED}) + '{"text": "x\x00y"}\n' + jsonl({"text": ARREST})},
     "rows.jsonl:2", "invalid JSON: Invalid control character", ["rows.jsonl:1", "rows.jsonl:3"]),
    ("an escaped NUL in one JSONL row", {"rows.jsonl": jsonl({"text": ARREST + "\x00"}, {"text": KILLED})},
     "rows.jsonl:1", "NUL byte in field 'text'", ["rows.jsonl:2"]),
    ("a CSV field over twice the size cap", {"rows.csv": f'text,title\n"{ARREST}",a\n"{"و" * 1_100_000}",b\n"{KILLED}",c\n'},
     "rows.csv:3", "too large: field 'text'", ["rows.csv:2", "rows.csv:4"]),
    ("binary control characters in one row", {"rows.jsonl": jsonl({"text": "\x01\x02\x03\x04" * 50}, {"text": KILLED})},
     "rows.jsonl:1", "binary content (control characters)", ["rows.jsonl:2"]),
    ("metadata date 0001-01-01", {"c.txt": ARREST, "meta.csv": "file,published\nc.txt,0001-01-01\n"},
     "c.txt", "publication date 0001-01-01 outside 1990-01-01..", ["c.txt"]),
    ("metadata date 9999-12-31", {"c.txt": ARREST, "meta.csv": "file,published\nc.txt,9999-12-31\n"},
     "c.txt", "publication date 9999-12-31 outside", ["c.txt"]),
    ("metadata date 2999-12-31", {"c.txt": ARREST, "meta.csv": "file,published\nc.txt,2999-12-31\n"},
     "c.txt", "publication date 2999-12-31 outside", ["c.txt"]),
    ("metadata date 1e308", {"c.txt": ARREST, "meta.csv": "file,published\nc.txt,1e308\n"},
     "c.txt", "bad publication date '1e308'", ["c.txt"]),
]


@pytest.mark.parametrize("case, files, doc, reason, stored", CASES, ids=[c[0] for c in CASES])
def test_a_bad_record_is_a_reject_and_the_batch_keeps_its_good_articles(tmp_path, case, files, doc, reason, stored):
    folder = good_corpus(tmp_path / "in")
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    summary, _, articles, rejects = build_with(tmp_path, max_bytes=1_000_000)
    assert reason in rejects[doc].reason
    assert sorted(articles["doc"]) == sorted([*GOOD, *stored])
    assert json.loads(rejects_path(summary.out).read_text(encoding="utf-8").splitlines()[-1])["input"] == doc


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "2999-12-31", "1e308"])
def test_an_implausible_metadata_date_is_dropped_for_the_field_not_the_article(tmp_path, published):
    folder = good_corpus(tmp_path / "in")
    (folder / "c.txt").write_text(ARREST, encoding="utf-8")
    (folder / "meta.csv").write_text(f"file,published,outlet\nc.txt,{published},Outlet C\n", encoding="utf-8")
    _, events, articles, rejects = build_with(tmp_path)
    c = articles.set_index("doc").loc["c.txt"]
    assert c["published"] == "2013-03-03" and c["source"] == "Outlet C" and rejects["c.txt"].kept  # from the text
    assert set(events.loc[events["doc"] == "c.txt", "event_date"]) == {"2013-03-03"}  # from the text


def test_counts_of_19_digits_keep_their_article_and_phrase_and_the_total_cannot_overflow(tmp_path):
    folder = good_corpus(tmp_path / "in")
    for name in ("c.txt", "d.txt"):
        (folder / name).write_text(f"{name}: انشق 5000000000000000000 عنصر من قوات النظام في مدينة الرستن يوم 5 أيار 2012.",
                                   encoding="utf-8")
    (folder / "e.txt").write_text("انشق 99999999999999999999999 عنصرا من قوات النظام في مدينة تلكلخ يوم 5 أيار 2012.",
                                  encoding="utf-8")
    _, events, articles, _ = build_with(tmp_path)
    assert sorted(articles["doc"]) == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]
    big = events[events["doc"].isin(["c.txt", "d.txt", "e.txt"])]
    assert len(big) == 3 and big["count"].isna().all()
    assert all(t.replace(",", "").startswith(("5000000000000000000", "99999999999999999999999")) for t in big["count_text"])
    assert 0 < events["count"].sum() < 10**6


def test_counts_past_the_cap_of_their_type_are_dropped_with_a_note_and_the_phrase_kept(tmp_path, monkeypatch):
    real = pipeline.extract
    counts = {"a.txt": 5 * 10**18, "b.txt": 10**25}

    def huge(article, doc, mentions):
        events = real(article, doc, mentions)
        for e in events:
            e["count"], e["count_text"] = counts[article.doc], "نحو " + str(counts[article.doc])
        return events

    monkeypatch.setattr(pipeline, "extract", huge)
    _, events, articles, rejects = build_with(tmp_path)
    assert sorted(articles["doc"]) == ["a.txt", "b.txt"] and events["count"].isna().all()
    assert set(events["count_text"]) == {"نحو 5000000000000000000", "نحو 10000000000000000000000000"}
    assert rejects["a.txt"].kept and rejects["a.txt"].reason.startswith(
        "implausible count 5000000000000000000 for shelling (cap 1,000,000): count dropped, phrase")


def test_implausible_values_of_an_event_are_dropped_field_by_field():
    row = {"event_id": "e1", "event_type": "killing", "count": 10**30, "count_text": "10^30", "count_of": "killed",
           "event_date": "1982-02-02", "time_precision": 1, "latitude": float("inf"), "longitude": 36.1,
           "evidence_start": 2**70, "geo_precision": 300}
    notes = check_event(row)
    assert (row["count"], row["event_date"], row["time_precision"], row["latitude"], row["evidence_start"],
            row["geo_precision"]) == (None, None, None, None, None, None)
    assert row["count_text"] == "10^30" and row["longitude"] == 36.1 and len(notes) == 5
    tomorrow = {"event_id": "e2", "event_type": "arrest", "count": 1_000_000, "event_date": date_max().isoformat()}
    assert check_event(tomorrow) == [] and tomorrow["count"] == 1_000_000


def test_an_event_arrow_cannot_store_fails_its_article_alone(tmp_path, monkeypatch):
    real = pipeline.extract

    def bad_rows(article, doc, mentions):
        events = real(article, doc, mentions)
        if article.doc == "a.txt":
            events[0]["actors"] = {"not": "text"}
            events[0]["count"] = 10**40
        return events

    monkeypatch.setattr(pipeline, "extract", bad_rows)
    summary, _, articles, rejects = build_with(tmp_path)
    assert list(articles["doc"]) == ["b.txt"]
    assert rejects["a.txt"].reason.startswith("cannot be stored: ArrowTypeError")


def test_a_result_that_cannot_come_back_from_a_worker_fails_its_article_alone(tmp_path, monkeypatch):
    real = pipeline.extract

    def unpicklable(article, doc, mentions):
        events = real(article, doc, mentions)
        if article.doc == "a.txt":
            events[0]["actors"] = lambda: None
        return events

    monkeypatch.setattr(pipeline, "extract", unpicklable)  # the forked workers inherit it
    summary, _, articles, rejects = build_with(tmp_path, workers=2)
    assert list(articles["doc"]) == ["b.txt"] and "extraction failed" in rejects["a.txt"].reason


def test_a_file_name_that_is_not_utf8_is_stored_under_an_escaped_name(tmp_path):
    folder = good_corpus(tmp_path / "in")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9\xff.txt"), "wb") as f:
        f.write(ARREST.encode("utf-8"))
    _, _, articles, rejects = build_with(tmp_path)
    assert sorted(articles["doc"]) == ["a.txt", "b.txt", "caf\\xe9\\xff.txt"]
    assert rejects["caf\\xe9\\xff.txt"].kept


def test_an_unreadable_sub_folder_is_a_reject(tmp_path, monkeypatch):
    folder = good_corpus(tmp_path / "in")
    (folder / "locked").mkdir()
    (folder / "locked" / "c.txt").write_text(ARREST, encoding="utf-8")
    (folder / "open").mkdir()
    (folder / "open" / "d.txt").write_text(KILLED, encoding="utf-8")
    unreadable(folder / "locked", monkeypatch)
    _, _, articles, rejects = build_with(tmp_path)
    assert sorted(articles["doc"]) == ["a.txt", "b.txt", "open/d.txt"]
    assert rejects["locked/"].reason == "unreadable folder: Permission denied"


def test_a_fifo_or_a_device_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it would block the build forever
    folder = good_corpus(tmp_path / "in")
    os.mkfifo(folder / "inner.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    _, _, articles, rejects = build_with(tmp_path, [fifo, "/dev/zero"])
    assert sorted(articles["doc"]) == ["a.txt", "b.txt"]
    assert rejects[str(fifo)].reason == "not a regular file or folder (FIFO): not read"
    assert rejects["inner.txt"].reason == "not a regular file or folder (FIFO): not read"
    assert rejects["/dev/zero"].reason == rejects["zero.txt"].reason == "not a regular file or folder (device): not read"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_files_are_read_with_or_without_a_byte_order_mark(tmp_path, encoding):
    folder = good_corpus(tmp_path / "in")
    (folder / "c.txt").write_bytes(ARREST.encode(encoding))
    (folder / "rows.csv").write_bytes(f'title,text\nعنوان,"{KILLED}"\n'.encode(encoding))
    (folder / "rows.jsonl").write_bytes(jsonl({"text": KILLED + " وأضافت المصادر."}).encode(encoding))
    _, _, articles, rejects = build_with(tmp_path)
    assert rejects == {}
    texts = articles.set_index("doc")["text"]
    assert (texts["c.txt"], texts["rows.csv:2"]) == (ARREST, KILLED)
    assert sorted(texts.index) == ["a.txt", "b.txt", "c.txt", "rows.csv:2", "rows.jsonl:1"]


def test_the_build_api_returns_the_reason_for_a_bad_store_instead_of_raising(tmp_path):
    folder = good_corpus(tmp_path / "in")
    (tmp_path / "dir.parquet").mkdir()
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 this is not parquet")
    assert "is a folder" in build([folder], tmp_path / "dir.parquet").error
    summary = build([folder], corrupt)
    assert summary.error.startswith(f"{corrupt} is not a readable events store (")
    assert corrupt.read_bytes() == b"PAR1 this is not parquet"  # never overwritten, not even with --rebuild
    assert build([folder], corrupt, rebuild=True).error == summary.error
    assert build([folder], tmp_path / "x.parquet", fmt="xml").error.startswith("unknown format 'xml'")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "events", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, message", [
    (["--workers", "100000"], "--workers 100000 is more than the"),
    (["--workers", "0"], "--workers: must be at least 1"),
    (["--max-mb", "0"], "want a positive, finite number of MB"),
    (["--max-mb", "-1"], "want a positive, finite number of MB"),
    (["--max-mb", "nan"], "want a positive, finite number of MB"),
    (["--max-mb", "inf"], "want a positive, finite number of MB"),
    (["--max-mb", "1e-300"], "want a positive, finite number of MB"),
    (["--max-mb", "lots"], "'lots' is not a number of MB"),
])
def test_cli_refuses_arguments_it_cannot_honour(tmp_path, args, message):
    res = cli("build", str(good_corpus(tmp_path / "in")), "--out", str(tmp_path / "e.parquet"), *args)
    assert res.returncode == 2 and message in res.stderr and not (tmp_path / "e.parquet").exists()


def test_cli_says_what_is_wrong_with_out_without_a_traceback(tmp_path):
    folder = good_corpus(tmp_path / "in")
    res = cli("build", str(folder), "--out", str(tmp_path))
    assert res.returncode == 2 and f"--out {tmp_path} is a folder: give the store's file" in res.stderr
    corrupt = tmp_path / "corrupt.jsonl"
    corrupt.write_text("{not json\n", encoding="utf-8")
    res = cli("build", str(folder), "--out", str(corrupt))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert f"nothing written: {corrupt} is not a readable events store" in res.stderr
    assert f"run `python -m events check {corrupt}`" in res.stderr


def test_workers_over_the_cpu_count_need_force(tmp_path):
    res = cli("build", str(good_corpus(tmp_path / "in")), "--out", str(tmp_path / "e.parquet"),
              "--workers", str(len(os.sched_getaffinity(0)) + 1), "--force")
    assert res.returncode == 0, res.stderr


def test_a_hand_edited_csv_store_with_numbers_past_their_column_reads_with_those_cells_empty(tmp_path):
    out = tmp_path / "events.csv"
    build([good_corpus(tmp_path / "in")], out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    frame.loc[0, "count"], frame.loc[0, "latitude"], frame.loc[0, "geo_precision"] = "1" * 40, "nan", "300"
    frame.to_csv(out.resolve(), index=False)
    events, _ = read_store(out)
    assert len(events) == len(frame)
    assert pd.isna(events.loc[0, "count"]) and pd.isna(events.loc[0, "latitude"]) and pd.isna(events.loc[0, "geo_precision"])


def test_a_worker_killed_by_the_os_fails_its_articles_not_the_build(tmp_path, monkeypatch):
    folder = good_corpus(tmp_path / "in")
    (folder / "oom.txt").write_text("قصفت الطائرات مدينة سراقب يوم 3 آذار 2016.", encoding="utf-8")
    real = pipeline._process

    def dies_on_oom(article):
        if article.doc == "oom.txt":
            os.kill(os.getpid(), 9)  # as the kernel's out-of-memory killer would
        return real(article)

    monkeypatch.setattr(pipeline, "_process", dies_on_oom)
    summary = build([folder], tmp_path / "events.parquet", workers=2, progress=False)
    assert summary.error is None
    rejected = {r.input for r in summary.rejects if not r.kept}
    assert "oom.txt" in rejected and all("extraction failed" in r.reason for r in summary.rejects if not r.kept)
    assert summary.articles_new + len(rejected) == summary.articles_read
