"""`python -m events build PATH... --out FILE [--format parquet|csv|geojson|jsonl] [--workers N]`."""
from __future__ import annotations

import argparse
import sys

from events.corpus import DEFAULT_MAX_BYTES
from events.pipeline import build, rejects_path
from events.store import FORMATS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m events", description="Arabic news articles -> events table")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="extract events from articles into a store (incremental)")
    b.add_argument("paths", nargs="+", help="folders, .txt/.md/.html files, CSV or JSONL files of articles")
    b.add_argument("--out", required=True, help="the events file (its format from --format or the extension)")
    b.add_argument("--format", choices=FORMATS, help="output format (default: from --out's extension, else parquet)")
    b.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    b.add_argument("--max-mb", type=float, default=DEFAULT_MAX_BYTES / 2**20, help="skip articles over this size")
    b.add_argument("--rebuild", action="store_true", help="ignore what the store already holds")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    summary = build(args.paths, args.out, args.format, args.workers, int(args.max_mb * 2**20), args.rebuild)
    print(summary.line())
    if summary.rejected:
        print(f"{summary.rejected} rejected input{'s' if summary.rejected > 1 else ''}: see {rejects_path(summary.out)}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
