"""Reading the text files handed to `python -m gazetteer geoparse`, with a clear error per file.

A folder is walked for `.txt` files; a file that is missing, binary or not decodable is reported
with its reason and the batch goes on (the caller decides what to do with the error).
"""
from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


class TextFileError(ValueError):
    """A file that cannot be read as text, with the reason in the message."""


def iter_text_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """(path, document name) of the given files, and of the `.txt` files (any case) in the given
    folders, sorted. A folder's files are named by their path inside it, so `a/x.txt` and
    `b/x.txt` stay apart."""
    for p in paths:
        if p.is_dir():
            files = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".txt")
            yield from ((q, q.relative_to(p).as_posix()) for q in files)
        else:
            yield p, p.name


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Decode UTF-8 (with or without BOM), else the encoding charset-normalizer detects (e.g. cp1256)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TextFileError(f"cannot read: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise TextFileError(f"too large: {len(data):,} bytes (limit {max_bytes:,})")
    for bom, codec in _BOMS:  # UTF-16/32 (Windows "Unicode" files) are full of NUL bytes
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as e:
                raise TextFileError(f"not valid {codec} despite its byte-order mark: {e.reason}") from e
    if b"\x00" in data[:4096]:
        raise TextFileError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise TextFileError("not decodable as text (tried UTF-8 and charset detection)")
    return str(best)
