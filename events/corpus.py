"""Reading articles: folders of .txt/.md/.html, CSV and JSONL files, and folder metadata sidecars.

Every input either becomes an `Article` or a `Reject` (input, reason): one broken file or row
never stops a batch. Metadata from a sidecar CSV (any CSV in the folder with a `file` column)
wins over what is guessed from the text.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

from arabic import Doc, analyse
from arabic.normalize import normalize
from events.dates import find_dates, publication_date

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ""}
TABLE_SUFFIXES = {".csv", ".jsonl", ".ndjson"}
# Every file suffix `read_articles` reads as articles (the dashboard's uploader offers the same list).
ARTICLE_SUFFIXES: tuple[str, ...] = tuple(sorted((TEXT_SUFFIXES | TABLE_SUFFIXES) - {""}))
_TEXT_KEYS = ("text", "body", "content", "article")
_SOURCE_KEYS = ("source", "outlet", "site")
_DATE_KEYS = ("published", "date", "publication_date", "pub_date")
_SPACE = re.compile(r"\s+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r


class BadInput(ValueError):
    """An input that cannot become an article; the message says why, for the rejects log."""


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its text (original), where it came from and what is known about it."""

    doc: str
    text: str
    title: str
    source: str | None
    url: str | None
    published: str | None
    date_precision: str | None
    article_id: str
    # The text analysed once by the reader (normalised, tokenised, split), handed to every later stage.
    analysis: Doc | None = field(default=None, compare=False, repr=False)

    def record(self) -> dict:
        """The article's stored fields (without its analysis), as the articles sidecar keeps them."""
        return {f: getattr(self, f) for f in RECORD_FIELDS}


RECORD_FIELDS = ("doc", "text", "title", "source", "url", "published", "date_precision", "article_id")


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that was skipped, and why."""

    input: str
    reason: str

    def to_json(self) -> dict:
        return {"input": self.input, "reason": self.reason}


def article_id(text: str | Doc) -> str:
    """Hash of the normalised text with whitespace collapsed: the same article re-scraped or
    re-encoded gets the same id."""
    ntext = text.ntext if isinstance(text, Doc) else analyse(text).ntext
    key = _SPACE.sub(" ", ntext).strip()
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), else the detected encoding (Windows-1256…)."""
    if not data.strip():
        raise BadInput("empty file")
    if b"\x00" in data[:8192]:
        raise BadInput("binary content (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise BadInput("undecodable: not UTF-8 and no text encoding detected") from None
        text = str(best)
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        raise BadInput("binary content (control characters), not text")
    if not text.strip():
        raise BadInput("empty file")
    return text


class _HTMLText(HTMLParser):
    """HTML -> plain text with block elements on their own lines; scripts and styles dropped."""

    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "header",
              "footer", "title", "blockquote", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        self._in_title = tag in ("title", "h1") and not self.title
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        if tag in ("title", "h1"):
            self._in_title = False
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data.strip()
        self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """(text, title) of an HTML page."""
    p = _HTMLText()
    p.feed(html)
    p.close()
    lines = [_SPACE.sub(" ", ln).strip() for ln in "".join(p.parts).splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, p.title


def is_headline(line: str, min_words: int = 5) -> bool:
    """Whether a line reads like a headline: up to 25 words with Arabic, not ending in a full stop
    (that is a lead paragraph); guessing a title also wants 5 words, to skip site furniture."""
    line = line.strip().lstrip("#").strip()
    words = line.split()
    return min_words <= len(words) <= 25 and bool(_ARABIC.search(line)) and not (line.endswith(".") and not line.endswith(".."))


def guess_title(text: str) -> tuple[str, int]:
    """(title, offset just after it): the first headline-like line among the top lines, which skips
    site furniture such as 'تخطى إلى المحتوى' and date banners; else the first non-empty line."""
    offset, first = 0, None
    for line in text.splitlines(keepends=True):
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            first = first or (stripped, offset + len(line))
            if is_headline(stripped):
                return stripped, offset + len(line)
            if len(stripped.split()) > 25 or stripped.endswith("."):
                break  # the body has started
        offset += len(line)
    return first or ("", 0)


def _iso_date(value: str | None) -> str | None:
    """A metadata date as ISO: YYYY-MM-DD[...] directly, Arabic spellings ("10 تموز 2019") with
    events.dates, others ("10/07/2019", "July 10, 2019") with dateparser, day first as in Arabic sources."""
    if not value or not str(value).strip():
        return None
    value = str(value).strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    arabic = [h for h in find_dates(normalize(value).text, None) if h.precision == 1]
    if arabic:
        return arabic[0].date.isoformat()
    import dateparser  # slow to import, and most metadata is ISO

    parsed = dateparser.parse(value, settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None:
        raise BadInput(f"bad publication date {value!r} (want YYYY-MM-DD)")
    return parsed.date().isoformat()


def make_article(doc: str, text: str, meta: dict[str, str | None], rejects: list[Reject],
                 html_title: str = "") -> Article:
    """An Article from text plus metadata; a bad metadata date is logged and the date guessed instead."""
    title = (meta.get("title") or "").strip() or html_title
    guessed_title, title_end = guess_title(text)
    title = title or guessed_title
    precision = (meta.get("date_precision") or "").strip() or None
    try:
        published = _iso_date(next((meta[k] for k in _DATE_KEYS if meta.get(k)), None))
    except BadInput as e:
        rejects.append(Reject(doc, f"metadata ignored: {e}"))
        published = None
    analysis = analyse(text)
    if published is None:
        top = analysis.ntext[:analysis.to_norm(3000)]
        found = publication_date(top, analysis.to_norm(title_end))
        published = found.isoformat() if found else None
        precision = "day" if found else None
    source = next((str(meta[k]).strip() for k in _SOURCE_KEYS if meta.get(k)), None)
    url = (meta.get("url") or "").strip() or None
    return Article(doc, text, title, source, url, published, precision, article_id(analysis), analysis)


def _sidecars(folder: Path, rejects: list[Reject]) -> tuple[dict[str, dict[str, str]], set[Path]]:
    """Metadata rows by file name from every CSV in `folder` that has a `file` column."""
    meta: dict[str, dict[str, str]] = {}
    used: set[Path] = set()
    for path in sorted(folder.glob("*.csv")):
        try:
            reader = csv.DictReader(io.StringIO(decode(path.read_bytes()), newline=""))
            if "file" not in (reader.fieldnames or []):
                continue
            used.add(path)
            for n, row in enumerate(reader, start=2):
                if None in row or not (row.get("file") or "").strip():
                    rejects.append(Reject(f"{path.name}:{n}", "malformed metadata row (wrong number of fields or no file)"))
                    continue
                meta[row["file"].strip()] = row
        except (BadInput, OSError):
            continue  # not a metadata file we can read: reported when it is read as a table of articles
        except csv.Error as e:
            rejects.append(Reject(str(path), f"malformed metadata CSV: {e}"))
    return meta, used


def _read_text_file(path: Path, doc: str, meta: dict[str, str], max_bytes: int, rejects: list[Reject]) -> Article | None:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadInput(f"too large: {size} bytes > cap {max_bytes}")
        text = decode(path.read_bytes())
        html_title = ""
        if path.suffix.lower() in (".html", ".htm"):
            text, html_title = html_to_text(text)
            if not text:
                raise BadInput("HTML page without text")
        return make_article(doc, text, meta, rejects, html_title)
    except BadInput as e:
        rejects.append(Reject(doc, str(e)))
    except OSError as e:
        rejects.append(Reject(doc, f"unreadable: {e.strerror or e}"))
    return None


def _row_article(doc: str, row: dict, max_bytes: int, rejects: list[Reject]) -> Article | None:
    if not isinstance(row, dict):
        rejects.append(Reject(doc, "row is not an object"))
        return None
    text = next((row[k] for k in _TEXT_KEYS if isinstance(row.get(k), str) and row[k].strip()), None)
    if text is None:
        rejects.append(Reject(doc, f"no article text (expected a non-empty column: {', '.join(_TEXT_KEYS)})"))
        return None
    if len(text.encode("utf-8")) > max_bytes:
        rejects.append(Reject(doc, f"too large: text over cap {max_bytes} bytes"))
        return None
    meta = {k: (str(v) if v is not None else None) for k, v in row.items() if isinstance(k, str)}
    return make_article(doc, text, meta, rejects)


def _read_table(path: Path, max_bytes: int, rejects: list[Reject]) -> Iterator[Article]:
    """Articles from a CSV (header with a text column) or a JSONL file, one per row; the file may be
    in any encoding `decode` accepts."""
    name = path.name
    try:
        text = decode(path.read_bytes())
    except BadInput as e:
        rejects.append(Reject(name, str(e)))
        return
    except OSError as e:
        rejects.append(Reject(name, f"unreadable: {e.strerror or e}"))
        return
    if path.suffix.lower() == ".csv":
        csv.field_size_limit(max(max_bytes * 2, 1 << 20))
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if "event_id" in (reader.fieldnames or []):
            return  # an events table written by a build, not articles
        try:
            for n, row in enumerate(reader, start=2):
                doc = f"{name}:{n}"
                if None in row or any(v is None for v in row.values()):
                    rejects.append(Reject(doc, f"malformed CSV row: {len(reader.fieldnames or [])} columns expected"))
                    continue
                if (a := _row_article(doc, row, max_bytes, rejects)) is not None:
                    yield a
        except csv.Error as e:
            rejects.append(Reject(f"{name}:{reader.line_num}", f"malformed CSV, rest of file skipped: {e}"))
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        doc = f"{name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            rejects.append(Reject(doc, f"invalid JSON: {e.msg} at column {e.colno}"))
            continue
        if n == 1 and isinstance(row, dict) and "event_id" in row:
            return  # an events table written by a build, not articles
        if (a := _row_article(doc, row, max_bytes, rejects)) is not None:
            yield a


def read_articles(paths: Iterable[str | Path], rejects: list[Reject], max_bytes: int = DEFAULT_MAX_BYTES,
                  exclude: Iterable[Path] = ()) -> Iterator[Article]:
    """Every article in `paths` (files or folders, folders recursively), in a stable order.
    Problems are appended to `rejects`; reading goes on. `exclude`: files never read as input
    (the build's own outputs when they sit in an input folder)."""
    skip = {Path(p).resolve() for p in exclude}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            rejects.append(Reject(str(raw), "no such file or folder"))
            continue
        if path.is_file():
            suffix = path.suffix.lower()
            if suffix in TABLE_SUFFIXES:
                yield from _read_table(path, max_bytes, rejects)
            else:
                meta, _ = _sidecars(path.parent, [])
                if (a := _read_text_file(path, path.name, meta.get(path.name, {}), max_bytes, rejects)) is not None:
                    yield a
            continue
        yield from _read_folder(path, max_bytes, rejects, skip)


def _read_folder(folder: Path, max_bytes: int, rejects: list[Reject], skip: set[Path]) -> Iterator[Article]:
    for sub in [folder, *sorted(p for p in folder.rglob("*") if p.is_dir())]:
        meta, sidecars = _sidecars(sub, rejects)
        for path in sorted(p for p in sub.iterdir() if p.is_file() and not p.name.startswith(".")):
            suffix = path.suffix.lower()
            doc = str(path.relative_to(folder))
            if path in sidecars or suffix == ".parquet" or path.name == "rejects.jsonl" or path.resolve() in skip:
                # the build's own outputs (this one's or an earlier one's) are not articles
                continue
            if suffix in TABLE_SUFFIXES:
                yield from _read_table(path, max_bytes, rejects)
            elif suffix in TEXT_SUFFIXES:
                if (a := _read_text_file(path, doc, meta.get(path.name, {}), max_bytes, rejects)) is not None:
                    yield a
            else:
                rejects.append(Reject(doc, f"unsupported file type {suffix!r} (want .txt, .md, .html, .csv, .jsonl)"))


def estimate_articles(path: Path) -> int:
    """About how many articles a file holds, for progress bars: one per text file, one per non-blank
    data line of a CSV (after its header) or JSONL (quoted line breaks in a CSV make it an estimate)."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        return 1
    with path.open("rb") as f:
        lines = sum(1 for line in f if line.strip())
    return max(1, lines - (suffix == ".csv"))
