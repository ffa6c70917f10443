"""Reading the text files handed to `python -m gazetteer geoparse`, with a clear error per file.

A folder is walked for `.txt` files; a file that is missing, binary or not decodable is reported
with its reason and the batch goes on (the caller decides what to do with the error).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024


class TextFileError(ValueError):
    """A file that cannot be read as text, with the reason in the message."""


def iter_text_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The given files, and the `.txt` files of the given folders (sorted), in order."""
    for p in paths:
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.txt") if q.is_file())
        else:
            yield p


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Decode UTF-8 (with or without BOM), else the encoding charset-normalizer detects (e.g. cp1256)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TextFileError(f"cannot read: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise TextFileError(f"too large: {len(data):,} bytes (limit {max_bytes:,})")
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
