"""`python -m events build PATH... --out FILE [--format parquet|csv|geojson|jsonl] [--workers N]
[--engine local|dask] [--scheduler ADDRESS] [--partitions N] [--partitioned]` and
`python -m events check FILE`, `python -m events review stats|export|apply FILE` (see events.review).

Arguments are checked before any work (a worker count the machine cannot run, a size that is not a
positive finite number, a folder as --out), and a store that cannot be read or written is one line
saying why, never a traceback.
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import sys
from pathlib import Path

from events.corpus import DEFAULT_MAX_BYTES
from events.pipeline import DEFAULT_PARTITION
from events.store import FORMATS


def _cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's in a container or under taskset)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of MB") from None
    if not math.isfinite(value) or value * 2**20 < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: want a positive, finite number of MB (e.g. 5)")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["review"]:
        from events.review import main as review

        return review(argv[1:], prog="python -m events review")
    parser = argparse.ArgumentParser(prog="python -m events", description="Arabic news articles -> events table")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="extract events from articles into a store (incremental)")
    b.add_argument("paths", nargs="+", help="folders, .txt/.md/.html files, CSV or JSONL files of articles")
    b.add_argument("--out", required=True, type=Path,
                   help="the events file (its format from --format or the extension)")
    b.add_argument("--format", choices=FORMATS, help="output format (default: from --out's extension, else parquet)")
    b.add_argument("--workers", type=_positive_int, default=1, help=f"processes (default 1, at most {_cpus()})")
    b.add_argument("--force", action="store_true", help="allow more --workers than CPUs")
    b.add_argument("--max-mb", type=_megabytes, default=DEFAULT_MAX_BYTES / 2**20, help="skip articles over this size")
    b.add_argument("--rebuild", action="store_true", help="ignore what the store already holds")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: this process and --workers forked ones; dask: a Dask cluster (a LocalCluster of "
                        "--workers processes, or --scheduler)")
    b.add_argument("--scheduler", help="with --engine dask: the address of a running dask.distributed scheduler "
                                       "(tcp://HOST:8786); its workers must have this package installed")
    b.add_argument("--partitions", type=_positive_int,
                   help=f"with --engine dask: inputs (files or table rows) per partition (default {DEFAULT_PARTITION})")
    b.add_argument("--partitioned", action="store_true",
                   help="a store that grows by Parquet part files by publication month instead of being rewritten "
                        "(for large corpora; a store once partitioned stays so)")
    c = sub.add_parser("check", help="verify a store and repair what can be repaired")
    c.add_argument("store", type=Path, help="the events file given to build as --out")
    sub.add_parser("review", help="the review log: stats, export, apply (python -m events review --help)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="events: %(message)s", stream=sys.stderr)
    if args.command == "check":
        return _check(args.store)
    if args.workers > _cpus() and not args.force:
        parser.error(f"--workers {args.workers} is more than the {_cpus()} CPUs this process can use; "
                     f"add --force to start that many anyway")
    if args.out.is_dir() and not args.out.is_symlink():
        parser.error(f"--out {args.out} is a folder: give the store's file, e.g. {args.out / 'events.parquet'}")
    from events.pipeline import build  # loads the extractor: not needed to check arguments

    if args.engine != "dask" and (args.scheduler or args.partitions):
        parser.error("--scheduler and --partitions go with --engine dask")
    summary = build(args.paths, args.out, args.format, args.workers, int(args.max_mb * 2**20), args.rebuild,
                    engine=args.engine, scheduler=args.scheduler, partitions=args.partitions,
                    partitioned=args.partitioned)
    if summary.error:
        print(f"python -m events build: {summary.line()}", file=sys.stderr)
        return 1
    print(summary.line())
    if summary.rejects:
        from events.store import rejects_path

        print(f"{summary.rejected} rejected, {summary.notes} notes: see {rejects_path(summary.out)} "
              f"(build {summary.build_id})", file=sys.stderr)
    return 0


def _check(store: Path) -> int:
    from events.check import check

    report = check(store)
    for line in report.problems:
        print(f"problem: {line}")
    for line in report.repaired:
        print(f"repaired: {line}")
    for line in report.failed:
        print(f"not repaired: {line}", file=sys.stderr)
    if report.ok:
        print(f"{store}: ok" + (" after repairs" if report.repaired else ""))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
