"""Reading articles: folders of .txt/.md/.html, CSV and JSONL files, and folder metadata sidecars.

Every input either becomes an `Article` or a `Reject` (input, reason): one broken file or row
never stops a batch. Metadata from a sidecar CSV (any CSV in the folder with a `file` column)
wins over what is guessed from the text.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

from arabic import Doc, analyse
from arabic.normalize import normalize
from events.dates import find_dates, publication_date
from events.plausible import date_problem
from events.store import REJECTS_SUFFIX, STORE_DIR_SUFFIX

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
# Characters of an Arabic or Latin text: whitespace, ASCII, Latin, Arabic blocks, general punctuation.
_SCRIPT = re.compile(r"[\t\n\r\f\x20-\x7e\xa0-\u024f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u2000-\u206f"
                     r"\ufb50-\ufdff\ufe70-\ufeff]")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Rows are judged one by one (an oversize field rejects its row), so the csv module's own cap, which
# stops the whole file at the first long field, is lifted; the file itself is read into memory anyway.
csv.field_size_limit(2**31 - 1)


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
    """An input that was skipped, and why; or, `kept`, a note on one that was read with something
    dropped or repaired (a bad metadata date, an implausible count), so no change goes unrecorded."""

    input: str
    reason: str
    kept: bool = False

    def __post_init__(self) -> None:
        # whatever an input held (a lone surrogate quoted in an error message), a reject stays valid
        # text: it is written to the rejects log and shown on the dashboard
        for name in ("input", "reason"):
            object.__setattr__(self, name, shown_name(getattr(self, name)))

    def to_json(self) -> dict:
        return {"input": self.input, "reason": self.reason, **({"kept": True} if self.kept else {})}


def article_id(text: str | Doc) -> str:
    """Hash of the normalised text with whitespace collapsed: the same article re-scraped or
    re-encoded gets the same id."""
    ntext = text.ntext if isinstance(text, Doc) else analyse(text).ntext
    key = " ".join(ntext.split())  # str.split's whitespace is the regex's \s
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def decode(data: bytes, *, table: bool = False) -> str:
    """Bytes -> text: the encoding a byte-order mark names (UTF-8/16/32), UTF-16 without one (Windows
    "Unicode" files), UTF-8, else the detected encoding (Windows-1256…). NUL bytes make an article
    file binary; a table's (`table`) are judged row by row, so one bad row does not drop the file."""
    if not data.strip():
        raise BadInput("empty file")
    bom = next(((b, codec) for b, codec in _BOMS if data.startswith(b)), None)
    if bom is not None:
        try:
            text = data[len(bom[0]):].decode(bom[1])
        except UnicodeDecodeError as e:
            raise BadInput(f"not valid {bom[1]} despite its byte-order mark: {e.reason}") from None
    elif b"\x00" in data[:8192] and (utf16 := _utf16_without_bom(data)) is not None:
        text = utf16
    elif b"\x00" in data[:8192] and not table:
        raise BadInput("binary content (NUL bytes), not text")
    else:
        text = _decode_bytes(data)
    if not table and (why := text_problem(text)):
        raise BadInput(why)
    if not text.strip():
        raise BadInput("empty file")
    return text


def _decode_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise BadInput("undecodable: not UTF-8 and no text encoding detected") from None
        return str(best)


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 bytes without a byte-order mark, or None when they do not read as text.
    ASCII spaces and digits put their zero byte on one side (odd offsets in little-endian); a binary
    file, or bytes of another encoding, decode to characters outside the Arabic and Latin scripts."""
    sample = data[:8192]
    codec = "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"
    try:
        text = data[:len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        return None
    head = text[:4096]
    return text if head and len(_SCRIPT.findall(head)) >= 0.95 * len(head) and "\x00" not in text else None


def text_problem(text: str) -> str | None:
    """Why a decoded text is not an article (NULs, many control characters), or None."""
    if "\x00" in text:
        return "binary content (NUL bytes), not text"
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        return "binary content (control characters), not text"
    return None


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
    events.dates, others ("10/07/2019", "July 10, 2019") with dateparser, day first as in Arabic sources.
    A date outside the plausible range, or one whose year the value does not spell, is refused."""
    if not value or not str(value).strip():
        return None
    value = str(value).strip()
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        day = _spelled_date(value)
    if (why := date_problem(day)) is not None:
        raise BadInput(f"publication date {why}")
    return day.isoformat()


def _spelled_date(value: str) -> dt.date:
    arabic = [h for h in find_dates(normalize(value).text, None) if h.precision == 1]
    if arabic:
        return arabic[0].date
    import dateparser  # slow to import, and most metadata is ISO

    parsed = dateparser.parse(value, settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]})
    # dateparser reads anything it can (`1e308` becomes today): the year must be written in the value
    if parsed is None or not re.search(rf"(?<!\d)({parsed.year}|{parsed.year % 100:02d})(?!\d)", value):
        raise BadInput(f"bad publication date {value[:80]!r} (want YYYY-MM-DD)")
    return parsed.date()


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
        rejects.append(Reject(doc, f"metadata ignored: {e}", kept=True))
        published = None
    analysis = analyse(text)
    if published is None:
        top = analysis.ntext[:analysis.to_norm(3000)]
        found = publication_date(top, analysis.to_norm(title_end))
        published = found.isoformat() if found and date_problem(found) is None else None
        precision = "day" if published else None
    source = next((str(meta[k]).strip() for k in _SOURCE_KEYS if meta.get(k)), None)
    url = (meta.get("url") or "").strip() or None
    return Article(doc, text, title, source, url, published, precision, article_id(analysis), analysis)


def shown_name(name: str) -> str:
    """A file name (or any text) as valid UTF-8: bytes that are not UTF-8 (kept by the OS as surrogates)
    become `\\xNN` escapes, other lone surrogates `\\uNNNN` ones, so it can be stored and shown."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _special(mode: int) -> str:
    kind = ("FIFO" if stat.S_ISFIFO(mode) else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "socket" if stat.S_ISSOCK(mode) else "special file")
    return f"not a regular file or folder ({kind}): not read"


def _read_bytes(path: Path, limit: int | None) -> bytes:
    """The bytes of a regular file, at most `limit` of them. A FIFO or device is refused before it is
    opened (opening a FIFO blocks; /dev/zero never ends), and a file that grows while read stays capped."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BadInput(_special(info.st_mode))
        if limit is not None and info.st_size > limit:
            raise BadInput(f"too large: {info.st_size} bytes > cap {limit}")
        data = f.read() if limit is None else f.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise BadInput(f"too large: over cap {limit} bytes")
    return data


def _sidecars(folder: Path, csvs: Iterable[Path], rejects: list[Reject]) -> tuple[dict[str, dict[str, str]], set[Path]]:
    """Metadata rows by file name from every CSV of `folder` that has a `file` column."""
    meta: dict[str, dict[str, str]] = {}
    used: set[Path] = set()
    for path in csvs:
        try:
            reader = csv.DictReader(io.StringIO(decode(_read_bytes(path, None)), newline=""))
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
            rejects.append(Reject(path.name, f"malformed metadata CSV: {e}"))
    return meta, used


def text_article(unit: TextUnit, rejects: list[Reject], max_bytes: int = DEFAULT_MAX_BYTES) -> Article | None:
    """The article of a file (read, decoded, HTML stripped, analysed), or None with its reject. Runs where
    the article is made (a worker), so the reader ships a file's name, never its bytes."""
    try:
        text = decode(_read_bytes(Path(unit.path), max_bytes))
        html_title = ""
        if unit.suffix in (".html", ".htm"):
            text, html_title = html_to_text(text)
            if not text:
                raise BadInput("HTML page without text")
        return make_article(unit.doc, text, unit.meta, rejects, html_title)
    except BadInput as e:
        rejects.append(Reject(unit.doc, str(e)))
    except OSError as e:
        rejects.append(Reject(unit.doc, f"unreadable: {e.strerror or e}"))
    return None


@dataclass(frozen=True, slots=True)
class TextUnit:
    """An article file as found by the reader, not yet read: what a reader hands to a worker (an absolute
    path, so a worker reads it whatever its working folder; a remote cluster's workers must see the file)."""

    doc: str
    path: str
    suffix: str
    meta: dict


@dataclass(frozen=True, slots=True)
class RowUnit:
    """One row of a CSV or JSONL file of articles (a dict, or whatever the JSON line held)."""

    doc: str
    row: object


Unit = TextUnit | RowUnit


def unit_article(unit: Unit, rejects: list[Reject], max_bytes: int = DEFAULT_MAX_BYTES) -> Article | None:
    """The article of a unit, or None with its reject; never raises (the last line of per-input isolation)."""
    try:
        if isinstance(unit, RowUnit):
            return _row_article(unit.doc, unit.row, max_bytes, rejects)
        return text_article(unit, rejects, max_bytes)
    except Exception as e:  # noqa: BLE001 - one input's failure is its reject
        rejects.append(Reject(unit.doc, f"unreadable, rest of it skipped: {type(e).__name__}: {e}"))
        return None


def _field_problem(key: str, value: str, max_bytes: int) -> str | None:
    """Why one field makes its row unusable (a lone surrogate, a NUL byte, over the size cap), or None."""
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError as e:
        return f"invalid Unicode in field {key!r}: lone surrogate {value[e.start]!r}"
    if "\x00" in value:
        return f"NUL byte in field {key!r}"
    if size > max_bytes:
        return f"too large: field {key!r} is {size} bytes > cap {max_bytes}"
    return None


def _row_article(doc: str, row: object, max_bytes: int, rejects: list[Reject]) -> Article | None:
    """The article of one CSV/JSONL row, or None with the row's reject logged; never raises."""
    if not isinstance(row, dict):
        rejects.append(Reject(doc, "row is not an object"))
        return None
    meta: dict[str, str | None] = {}
    for key, value in row.items():
        if not isinstance(key, str) or isinstance(value, (dict, list)):
            continue  # not a field this reader knows: nested data is not metadata
        meta[key] = None if value is None else str(value)
        if (why := _field_problem(key, meta[key] or "", max_bytes)) is not None:
            rejects.append(Reject(doc, why))
            return None
    text = next((meta[k] for k in _TEXT_KEYS if isinstance(row.get(k), str) and row[k].strip()), None)
    if text is None:
        rejects.append(Reject(doc, f"no article text (expected a non-empty column: {', '.join(_TEXT_KEYS)})"))
        return None
    if (why := text_problem(text)) is not None:
        rejects.append(Reject(doc, why))
        return None
    try:
        return make_article(doc, text, meta, rejects)
    except Exception as e:  # noqa: BLE001 - one row's failure is its reject, the file goes on
        rejects.append(Reject(doc, f"unreadable article: {type(e).__name__}: {e}"))
        return None


def _table_rows(name: str, path: Path, text: str | io.TextIOBase) -> Iterator[tuple[str, object]]:
    """(doc, row) of a CSV (dicts; None for a row with the wrong number of fields) or JSONL file
    (parsed values; a BadInput for a line that is not JSON); nothing for an events table of a build."""
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline="") if isinstance(text, str) else text)
        if "event_id" in (reader.fieldnames or []):
            return  # an events table written by a build, not articles
        for n, row in enumerate(reader, start=2):
            malformed = None in row or any(v is None for v in row.values())
            yield f"{name}:{n}", BadInput(f"malformed CSV row: {len(reader.fieldnames or [])} columns expected") \
                if malformed else row
        return
    lines = text.split("\n") if isinstance(text, str) else text  # a stream splits at \n only too
    for n, line in enumerate(lines, start=1):  # not splitlines: U+2028 may sit inside a JSON string
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            row = BadInput(f"invalid JSON: {e.msg} at column {e.colno}")
        except RecursionError:
            row = BadInput("invalid JSON: nested too deeply")
        except ValueError as e:  # e.g. an integer of more digits than Python converts
            row = BadInput(f"invalid JSON: {e}")
        if n == 1 and isinstance(row, dict) and "event_id" in row:
            return  # an events table written by a build, not articles
        yield f"{name}:{n}", row


# Tables larger than this are read as a stream (row by row) rather than decoded whole: a JSONL or CSV
# file of many GB never sits in memory. Smaller ones are decoded whole, which also detects encodings
# that only a look at the whole file finds.
STREAM_TABLE_BYTES = 64 * 2**20


def _table_units(path: Path, name: str, rejects: list[Reject]) -> Iterator[RowUnit]:
    """The rows of a CSV (header with a text column) or a JSONL file; the file may be in any encoding
    `decode` accepts, and each bad row is rejected on its own."""
    try:
        size = os.stat(path).st_size
        if size > STREAM_TABLE_BYTES:
            yield from _streamed_table_units(path, name, rejects)
            return
        text = decode(_read_bytes(path, None), table=True)
    except BadInput as e:
        rejects.append(Reject(name, str(e)))
        return
    except OSError as e:
        rejects.append(Reject(name, f"unreadable: {e.strerror or e}"))
        return
    yield from _row_units(name, _table_rows(name, path, text), rejects)


def _row_units(name: str, rows: Iterator[tuple[str, object]], rejects: list[Reject]) -> Iterator[RowUnit]:
    while True:
        try:
            doc, row = next(rows)
        except StopIteration:
            return
        except csv.Error as e:
            rejects.append(Reject(name, f"malformed CSV, rest of file skipped: {e}"))
            return
        except UnicodeDecodeError as e:
            rejects.append(Reject(name, f"not valid {e.encoding} past this point, rest of file skipped: {e.reason}"))
            return
        if isinstance(row, BadInput):
            rejects.append(Reject(doc, str(row)))
        else:
            yield RowUnit(doc, row)


def _stream_encoding(path: Path) -> tuple[str, int]:
    """(codec, bytes to skip) of a large table, judged from its head: a byte-order mark, UTF-16 without
    one, UTF-8, else the encoding detected in the first MB."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if not head.strip():
        raise BadInput("empty file")
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    if b"\x00" in head[:8192] and _utf16_without_bom(head) is not None:
        return ("utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"), 0
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8", 0
    except UnicodeDecodeError:
        best = from_bytes(head).best()
        if best is None:
            raise BadInput("undecodable: not UTF-8 and no text encoding detected") from None
        return best.encoding, 0


def _streamed_table_units(path: Path, name: str, rejects: list[Reject]) -> Iterator[RowUnit]:
    """`_table_units` for a table too large to decode whole: rows decoded as they are read."""
    codec, skip = _stream_encoding(path)
    raw = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    try:
        raw.seek(skip)
        text = io.TextIOWrapper(raw, encoding=codec, newline="\n" if path.suffix.lower() != ".csv" else "")
        yield from _row_units(name, _table_rows(name, path, text), rejects)
    finally:
        raw.close()


def read_units(paths: Iterable[str | Path], rejects: list[Reject], exclude: Iterable[Path] = ()) -> Iterator[Unit]:
    """Every input of `paths` (files or folders, folders recursively) in a stable order, not yet made
    articles: an article file by its path (read by whoever makes its article), a table's rows as parsed.
    Cheap enough for one process to feed many workers, which make the articles (`unit_article`), so a
    corpus of files is read by the workers, in parallel. Folders are walked lazily (a folder's
    files are listed when it is reached) and large tables read as streams, so memory does not grow with
    the input. Problems are appended to `rejects` and reading goes on: no input, however broken, raises."""
    skip = {_key(Path(p)) for p in exclude}
    for raw in paths:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            rejects.append(Reject(str(raw), "no such file or folder"))
            continue
        except OSError as e:
            rejects.append(Reject(str(raw), f"unreadable: {e.strerror or e}"))
            continue
        if stat.S_ISDIR(mode):
            yield from _guarded(str(raw), _read_folder(path, rejects, skip), rejects)
        elif stat.S_ISREG(mode):
            name = _named(path.name, rejects)
            meta = {} if path.suffix.lower() in TABLE_SUFFIXES else \
                _sidecars(path.parent, [path.parent / c for c in _csvs_beside(path)], [])[0].get(path.name, {})
            yield from _guarded(name, _read_file(path, name, meta, rejects, any_suffix=True), rejects)
        else:
            rejects.append(Reject(str(raw), _special(mode)))


def read_articles(paths: Iterable[str | Path], rejects: list[Reject], max_bytes: int = DEFAULT_MAX_BYTES,
                  exclude: Iterable[Path] = ()) -> Iterator[Article]:
    """Every article in `paths` (files or folders, folders recursively), in a stable order.
    Problems are appended to `rejects` and reading goes on: no input, however broken, raises.
    `exclude`: files and folders never read as input (the build's own outputs in an input folder)."""
    for unit in read_units(paths, rejects, exclude):
        if (a := unit_article(unit, rejects, max_bytes)) is not None:
            yield a


def _csvs_beside(path: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(path.parent) if e.name.lower().endswith(".csv") and e.is_file())
    except OSError:
        return []


def _guarded(doc: str, units: Iterator[Unit], rejects: list[Reject]) -> Iterator[Unit]:
    """`units`, with any failure the readers did not foresee logged as `doc`'s reject instead of
    ending the batch."""
    try:
        yield from units
    except Exception as e:  # noqa: BLE001 - the last line of per-input isolation
        rejects.append(Reject(doc, f"unreadable, rest of it skipped: {type(e).__name__}: {e}"))


def _named(name: str, rejects: list[Reject]) -> str:
    """`shown_name(name)`, with a note when the name had to be repaired."""
    shown = shown_name(name)
    if shown != name:
        rejects.append(Reject(shown, "file name is not valid UTF-8: stored with \\x escapes", kept=True))
    return shown


def _read_file(path: Path, doc: str, meta: dict[str, str], rejects: list[Reject],
               any_suffix: bool = False) -> Iterator[Unit]:
    """The units of one file: a table's rows, or the file as one article if its suffix is a text one
    (any suffix for a file named on the command line)."""
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        yield from _table_units(path, doc if any_suffix else shown_name(path.name), rejects)
    elif suffix in TEXT_SUFFIXES or any_suffix:
        yield TextUnit(doc, os.path.abspath(path), suffix, meta)
    else:
        rejects.append(Reject(doc, f"unsupported file type {suffix!r} (want .txt, .md, .html, .csv, .jsonl)"))


def _key(path: Path) -> Path:
    """A path with its folder resolved but not its own name (a store's events file is a link: the link
    itself is what `exclude` names)."""
    return Path(os.path.realpath(path.parent)) / path.name


def _is_output(entry: os.DirEntry) -> bool:
    """A build's own output (a store's events file, sidecar, rejects log or generation folder), not an article."""
    name = entry.name
    return name.endswith((".parquet", REJECTS_SUFFIX, STORE_DIR_SUFFIX)) or name == "rejects.jsonl"


def _folders(folder: Path, rejects: list[Reject], skip: set[Path]) -> list[Path]:
    """`folder` and every folder under it, in reading order (it first, then the others by path). Only
    folders are kept, so a tree of millions of files costs the memory of its folders. Hidden entries,
    build outputs and `skip` are left out; an unreadable folder or a folder loop is a reject, not the end."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        sub = stack.pop()
        doc = f"{sub.relative_to(folder)}/"
        try:
            info = sub.stat()
            with os.scandir(sub) as it:
                subs = [Path(e.path) for e in it if _kept(e, skip) and _is_dir(e)]
        except OSError as e:
            rejects.append(Reject(doc, f"unreadable folder: {e.strerror or e}"))
            continue
        if (info.st_dev, info.st_ino) in seen:
            rejects.append(Reject(doc, "folder already read (a link loops back): not read again"))
            continue
        seen.add((info.st_dev, info.st_ino))
        stack.extend(sorted(subs))
        found.append(sub)
    return sorted(found, key=lambda f: (f != folder, str(f)))


def _kept(e: os.DirEntry, skip: set[Path]) -> bool:
    # the link resolved only for an entry named as one of `skip` (a few names; folders of millions of files)
    return not (e.name.startswith(".") or _is_output(e)
                or (any(e.name == p.name for p in skip) and _key(Path(e.path)) in skip))


def _is_dir(e: os.DirEntry) -> bool:
    try:
        return e.is_dir()
    except OSError:
        return False


def _files(sub: Path, folder: Path, rejects: list[Reject], skip: set[Path]) -> list[os.DirEntry]:
    """The files of one folder, by name (listed when the folder is reached)."""
    try:
        return sorted((e for e in os.scandir(sub) if _kept(e, skip) and not _is_dir(e)), key=lambda e: e.name)
    except OSError as e:
        rejects.append(Reject(f"{sub.relative_to(folder)}/", f"unreadable folder: {e.strerror or e}"))
        return []


def _read_folder(folder: Path, rejects: list[Reject], skip: set[Path]) -> Iterator[Unit]:
    for sub in _folders(folder, rejects, skip):
        files = _files(sub, folder, rejects, skip)
        csvs = [Path(e.path) for e in files if e.name.lower().endswith(".csv")]
        meta, sidecars = _sidecars(sub, csvs, rejects)
        for entry in files:
            path = Path(entry.path)
            if path in sidecars:
                continue
            doc = _named(str(path.relative_to(folder)), rejects)
            try:
                mode = entry.stat().st_mode
            except OSError as e:
                rejects.append(Reject(doc, f"unreadable: {e.strerror or e}"))
                continue
            if not stat.S_ISREG(mode):
                rejects.append(Reject(doc, _special(mode)))
                continue
            yield from _guarded(doc, _read_file(path, doc, meta.get(entry.name, {}), rejects), rejects)


def estimate_articles(path: Path) -> int:
    """About how many articles a file holds, for progress bars: one per text file, one per non-blank
    data line of a CSV (after its header) or JSONL (quoted line breaks in a CSV make it an estimate)."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        return 1
    with path.open("rb") as f:
        lines = sum(1 for line in f if line.strip())
    return max(1, lines - (suffix == ".csv"))
