"""Reading articles: folders, sidecar metadata, CSV/JSONL, encodings, and every kind of bad input."""
import json

import pytest

from events.corpus import Reject, article_id, guess_title, read_articles

BODY = "قالت مصادر محلية إن عشرة عناصر انشقوا عن قوات النظام في بلدة كفرنبل بريف إدلب الجنوبي أمس."
HEADLINE = "عشرة عناصر ينشقون عن قوات النظام في ريف إدلب"


def read(*paths, **kw):
    rejects: list[Reject] = []
    return list(read_articles(paths, rejects, **kw)), rejects


def test_folder_of_txt_md_html_with_sidecar_metadata(tmp_path):
    (tmp_path / "a.txt").write_text(f"{HEADLINE}\n\n{BODY}", encoding="utf-8")
    (tmp_path / "b.md").write_text(f"# {HEADLINE} اليوم\n\n{BODY} وأكدت المصادر.", encoding="utf-8")
    (tmp_path / "c.html").write_text(
        f"<html><head><title>عنوان الصفحة للخبر الذي نشر اليوم</title><style>p{{}}</style></head>"
        f"<body><script>var x=1;</script><p>{BODY} &amp; المزيد</p></body></html>", encoding="utf-8")
    (tmp_path / "meta.csv").write_text(
        "file,outlet,url,published,date_precision,title\n"
        "a.txt,Outlet A,https://example.org/a,2020-05-02,day,\n", encoding="utf-8")
    articles, rejects = read(tmp_path)
    assert rejects == []
    by_doc = {a.doc: a for a in articles}
    assert set(by_doc) == {"a.txt", "b.md", "c.html"}
    a = by_doc["a.txt"]
    assert (a.source, a.url, a.published, a.date_precision, a.title) == \
        ("Outlet A", "https://example.org/a", "2020-05-02", "day", HEADLINE)
    assert by_doc["b.md"].title == HEADLINE + " اليوم" and by_doc["b.md"].source is None
    c = by_doc["c.html"]
    assert c.title == "عنوان الصفحة للخبر الذي نشر اليوم"
    assert "var x" not in c.text and "<p>" not in c.text and "& المزيد" in c.text


def test_metadata_wins_over_the_date_in_the_text(tmp_path):
    (tmp_path / "a.txt").write_text(f"{HEADLINE}\nالأحد 3 مايو 2020\n{BODY}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{HEADLINE} ثانية\nالأحد 3 مايو 2020\n{BODY}", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("file,published\na.txt,2020-05-04\n", encoding="utf-8")
    articles, _ = read(tmp_path)
    assert {a.doc: a.published for a in articles} == {"a.txt": "2020-05-04", "b.txt": "2020-05-03"}


def test_title_skips_site_furniture_and_date_banners():
    text = "تخطى إلى المحتوى\nالخميس 17 يوليو 2025\nالدولية\n" + HEADLINE + "\n" + BODY
    assert guess_title(text)[0] == HEADLINE
    assert guess_title(BODY + "\n" + HEADLINE)[0] == BODY  # no headline before the body: first line


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1256", b"")])
def test_encodings(tmp_path, encoding, prefix):
    (tmp_path / "a.txt").write_bytes(prefix + f"{HEADLINE}\n{BODY}\n{BODY}".encode(encoding))
    articles, rejects = read(tmp_path / "a.txt")
    assert rejects == [] and articles[0].text.startswith(HEADLINE)


def test_same_article_twice_has_one_id_whatever_the_encoding_or_spacing():
    assert article_id(BODY) == article_id("  " + BODY.replace(" ", "  ") + "\n")
    assert article_id(BODY) != article_id(BODY + " وأضافت.")


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("undecodable.txt", bytes(range(128, 256)) * 8, "undecodable"),
    ("controls.txt", bytes(range(1, 9)) * 50 + b"abc", "binary"),
    ("page.html", b"<html><script>x()</script></html>", "without text"),
    ("image.png", b"png", "unsupported"),
])
def test_bad_files_are_rejected_and_the_batch_goes_on(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    articles, rejects = read(tmp_path)
    assert [a.doc for a in articles] == ["good.txt"]
    assert len(rejects) == 1 and rejects[0].input == name and reason in rejects[0].reason


def test_size_cap(tmp_path):
    (tmp_path / "big.txt").write_text(BODY * 50, encoding="utf-8")
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    articles, rejects = read(tmp_path, max_bytes=1000)
    assert [a.doc for a in articles] == ["good.txt"]
    assert rejects[0].input == "big.txt" and "too large" in rejects[0].reason


def test_missing_path(tmp_path):
    articles, rejects = read(tmp_path / "nope")
    assert articles == [] and "no such file" in rejects[0].reason


def test_csv_rows_good_and_malformed(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(
        "title,text,published,source\n"
        f"عنوان,{BODY},2021-01-02,Site\n"
        "عنوان بلا نص,,2021-01-02,Site\n"
        f"عنوان,{BODY} مزيد,2021-01-02,Site,extra\n"
        f"عنوان,{BODY} وأخيرا,2021-13-40,Site\n", encoding="utf-8")
    articles, rejects = read(path)
    assert [a.doc for a in articles] == ["articles.csv:2", "articles.csv:5"]
    assert articles[0].published == "2021-01-02" and articles[0].source == "Site"
    assert articles[1].published is None  # bad date in metadata: ignored, logged, guessed from text
    reasons = {r.input: r.reason for r in rejects}
    assert "no article text" in reasons["articles.csv:3"]
    assert "malformed CSV row" in reasons["articles.csv:4"]
    assert "bad publication date" in reasons["articles.csv:5"]


def test_jsonl_rows_good_and_malformed(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": BODY, "url": "https://example.org/1", "date": "2022-02-02"}, ensure_ascii=False),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        "",
    ]), encoding="utf-8")
    articles, rejects = read(path)
    assert [(a.doc, a.url, a.published) for a in articles] == [("articles.jsonl:1", "https://example.org/1", "2022-02-02")]
    reasons = {r.input: r.reason for r in rejects}
    assert "invalid JSON" in reasons["articles.jsonl:2"]
    assert "not an object" in reasons["articles.jsonl:3"]
    assert "no article text" in reasons["articles.jsonl:4"]


def test_build_outputs_are_not_read_back_as_articles(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "rejects.jsonl").write_text('{"input": "x", "reason": "y"}\n', encoding="utf-8")
    (tmp_path / "events.jsonl").write_text('{"event_id": "1", "evidence": "x"}\n', encoding="utf-8")
    (tmp_path / "events.csv").write_text("event_id,evidence\n1,x\n", encoding="utf-8")
    (tmp_path / "mine.txt").write_text(BODY + " مزيد.", encoding="utf-8")
    articles, rejects = read(tmp_path, exclude=[tmp_path / "mine.txt"])
    assert [a.doc for a in articles] == ["a.txt"] and rejects == []


def test_tables_in_windows_1256_and_broken_tables(tmp_path):
    (tmp_path / "win.csv").write_bytes(f"title,text\nعنوان,{BODY}\n".encode("cp1256"))
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "nul.csv").write_bytes(b"text\n\x00\x00")
    articles, rejects = read(tmp_path)
    assert [(a.doc, a.text) for a in articles] == [("win.csv:2", BODY)]
    assert {r.input: r.reason for r in rejects} == {"empty.jsonl": "empty file", "nul.csv:2": "NUL byte in field 'text'"}


@pytest.mark.parametrize("data, reason", [
    (b"\x00\x01\x02\x03" * 300, "binary content (NUL bytes)"),  # NULs that do not read as UTF-16 text
    (b"\xff\xfe" + b"\x00\xd8", "not valid utf-16-le despite its byte-order mark"),
    ("\ufeff".encode("utf-8") + b"  ", "empty file"),
])
def test_what_is_not_text_is_refused_with_its_reason(tmp_path, data, reason):
    (tmp_path / "x.txt").write_bytes(data)
    articles, rejects = read(tmp_path / "x.txt")
    assert articles == [] and reason in rejects[0].reason


def test_hidden_folders_build_outputs_and_other_stores_are_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    for hidden in (".git/x.txt", "old.parquet.store/gen-000001/x.txt"):
        (tmp_path / hidden).parent.mkdir(parents=True)
        (tmp_path / hidden).write_text(BODY + " وأضافت.", encoding="utf-8")
    (tmp_path / "old.parquet.rejects.jsonl").write_text('{"input": "x", "reason": "y"}\n', encoding="utf-8")
    articles, rejects = read(tmp_path)
    assert [a.doc for a in articles] == ["a.txt"] and rejects == []


def test_a_folder_link_that_loops_is_read_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    articles, rejects = read(tmp_path)
    assert [a.doc for a in articles] == ["sub/a.txt"]
    assert [(r.input, r.reason) for r in rejects] == [("sub/loop/", "folder already read (a link loops back): not read again")]


def test_jsonl_lines_split_on_newlines_only(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": BODY + "\u2028" + BODY}, ensure_ascii=False) + "\r\n",
                                      encoding="utf-8")
    articles, rejects = read(tmp_path / "a.jsonl")
    assert rejects == [] and articles[0].text == BODY + "\u2028" + BODY


@pytest.mark.parametrize("published, iso", [
    ("2019-07-10T08:30:00Z", "2019-07-10"), ("10/07/2019", "2019-07-10"), ("July 10, 2019", "2019-07-10"),
    ("10 تموز 2019", "2019-07-10"), ("not a date", None), ("2019", None),
])
def test_metadata_dates_in_other_spellings(tmp_path, published, iso):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "meta.csv").write_text(f'file,published\na.txt,"{published}"\n', encoding="utf-8")
    articles, rejects = read(tmp_path)
    assert articles[0].published == iso
    assert bool(rejects) == (iso is None)
