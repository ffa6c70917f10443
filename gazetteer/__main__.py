"""`python -m gazetteer SUBCOMMAND`: build the places table, look names up (and more, see SUBCOMMANDS).

Each subcommand is one `add_*` function that registers its parser and sets `run`; adding a
subcommand means writing one such function and listing it in SUBCOMMANDS.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path


def add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build places.parquet from gazetteer/data/sources (and the curated CSV)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: gazetteer/data)")
    p.add_argument("--curated", type=Path, default=None, help="curated CSV (default: gazetteer/data/curated_places.csv)")
    p.add_argument("--polygons", type=Path, default=None, metavar="RAW_ADMIN2",
                   help="first re-make admin1/admin2.geojson in --out from OCHA's full-resolution syr_admin2.geojson")
    p.set_defaults(run=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    from gazetteer import build

    out = args.out or build.DATA
    if args.polygons:
        for path in build.simplify_polygons(args.polygons, out):
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    try:
        df, report = build.build_table(args.curated or build.CURATED)
    except build.CuratedError as e:
        print(e, file=sys.stderr)
        return 2
    path = build.write_table(df, out)
    print(f"wrote {path} ({len(df):,} rows)")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def add_lookup(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lookup", help="list the places a name (Arabic or English) can refer to")
    p.add_argument("name", nargs="+", help="the name; several words are joined with spaces")
    p.add_argument("--limit", type=int, default=20, help="show at most this many candidates (default 20)")
    p.set_defaults(run=_run_lookup)


def _run_lookup(args: argparse.Namespace) -> int:
    from gazetteer import places

    name = " ".join(args.name)
    found = places.candidates(name)
    if not found:
        print(f"no place called {name!r}")
        return 1
    for c in found[: args.limit]:
        print(f"{c['place_id']:<22} {c['kind']:<13} {c['name_ar']} / {c['name_en'] or '-'}"
              f"  [{c['admin1_en'] or '-'}{', ' + c['admin2_en'] if c['admin2_en'] else ''}]"
              f"  {c['lat']:.5f},{c['lon']:.5f}  prominence {c['prominence']:.2f}")
    if len(found) > args.limit:
        print(f"... {len(found) - args.limit} more (--limit)")
    return 0


def add_geoparse(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("geoparse", help="find and resolve the Syrian places in text files")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".txt files or folders of them")
    p.add_argument("--jsonl", action="store_true", help="one JSON object per document (the DESIGN.md contract)")
    p.add_argument("--explain", action="store_true",
                   help="with --jsonl: each mention also gets `why`, its top features and their weight")
    p.set_defaults(run=_run_geoparse)


def _run_geoparse(args: argparse.Namespace) -> int:
    from gazetteer.geoparser import geoparse
    from gazetteer.textfile import TextFileError, iter_text_files, read_text

    failed = 0
    for path, doc in iter_text_files(args.paths):
        try:
            mentions, error = geoparse(read_text(path)), None
        except TextFileError as e:
            mentions, error = [], str(e)
        except Exception as e:  # noqa: BLE001 - one broken document never stops the batch
            mentions, error = [], f"geoparse failed: {type(e).__name__}: {e}"
        if error:
            failed += 1
            print(f"{path}: {error}", file=sys.stderr)
        if args.jsonl:
            row = {"doc": doc, "mentions": [m.explain_json() if args.explain else m.to_json() for m in mentions]}
            if error:
                row["error"] = error
            print(json.dumps(row, ensure_ascii=False), flush=True)
        else:
            for m in mentions:
                print(f"{doc}\t{m.start}-{m.end}\t{m.text}\t{m.place_id}\t{m.kind}\t{m.name_en}"
                      f"\t{m.admin1 or '-'}\t{m.lat:.4f},{m.lon:.4f}\t{m.score:.2f}"
                      + ("\t" + " ".join(f"{n}={v:+.2f}" for n, v in m.why) if args.explain else ""))
    return 1 if failed else 0


def add_fit(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fit", help="fit the span model's weights on gold sets (cross-validated by document) "
                                   "and rewrite gazetteer/data/weights.tsv")
    p.add_argument("sets", nargs="*", default=["seeds", "dev"], help="gold sets (default: seeds dev)")
    p.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared",
                   help="the folder holding gold/NAME_places.jsonl, seeds/ and NAME/corpus (default: ../shared)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds, by document (default 5)")
    p.add_argument("--C", type=float, default=1.0, dest="c", help="inverse L2 strength of the logistic regression")
    p.add_argument("--dry-run", action="store_true", help="report only; leave weights.tsv as it is")
    p.set_defaults(run=_fit)


def _fit(args: argparse.Namespace) -> int:
    from gazetteer.fit import main  # scikit-learn and the gold sets only for this development command

    return main(args.sets, args.folds, not args.dry_run, args.c, shared=args.shared)


SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [add_build, add_lookup, add_geoparse, add_fit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gazetteer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS:
        add(sub)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
