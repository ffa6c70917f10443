"""Accuracy of the geoparser and the event extractor on any gold set in the format of ../shared/gold/.

    .venv/bin/python bench/accuracy.py ../shared/gold/dev_places.jsonl ../shared/gold/dev_events.jsonl \
        --corpus ../shared/dev/corpus [--errors]
    .venv/bin/python bench/accuracy.py ../shared/gold            # every set there: seeds and dev
    .venv/bin/python bench/accuracy.py dev seeds                 # the same sets by name

Each set is a corpus folder plus `NAME_places.jsonl` and/or `NAME_events.jsonl`; the corpus of a
named set is found beside the gold (`seeds` -> ../shared/seeds, `NAME` -> ../shared/NAME/corpus) unless
`--corpus` says. Articles are read, analysed once, geoparsed and extracted in this process exactly as
`python -m events build` does, then scored with the team's scoring rules, imported from
../shared/tools (tests/data holds copies; a test checks they agree). Prints P/R/F1, recall by place
kind and by event type, count accuracy, and with `--errors` every miss and wrong prediction with its
sentence.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from events.corpus import Reject, read_articles  # noqa: E402
from events.extract import extract  # noqa: E402
from gazetteer import geoparse  # noqa: E402

SHARED = ROOT.parent / "shared"
TOOLS = [SHARED / "tools", ROOT / "tests" / "data"]


def scorer(name: str) -> ModuleType:
    """The team's scorer module `score_places` or `score_events` (shared copy first)."""
    path = next(p / f"{name}.py" for p in TOOLS if (p / f"{name}.py").exists())
    spec = importlib.util.spec_from_file_location(f"_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@dataclass
class Figures:
    """Counts behind precision/recall, with breakdowns and the error lines."""

    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_pred: int = 0
    by_class: Counter = field(default_factory=Counter)  # class -> gold count
    hit_class: Counter = field(default_factory=Counter)  # class -> matched gold count
    count_known: int = 0
    count_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_pred / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def recall_of(self, cls: str) -> float:
        return self.hit_class[cls] / self.by_class[cls] if self.by_class[cls] else 0.0


@dataclass
class Run:
    """What the pipeline produced for one corpus: per document, its text, mentions and events."""

    texts: dict[str, str]
    mentions: dict[str, list[dict]]
    events: dict[str, list[dict]]


def run_pipeline(corpus: Path) -> Run:
    """Read, analyse, geoparse and extract every article of a folder (as the build does)."""
    rejects: list[Reject] = []
    run = Run({}, {}, {})
    for a in read_articles([corpus], rejects):
        doc = a.analysis
        mentions = geoparse(doc)
        name = Path(a.doc).name
        run.texts[name] = a.text
        run.mentions[name] = [m.to_json() for m in mentions]
        run.events[name] = extract(a, doc, mentions)
    return run


def _context(text: str, start: int | None, end: int | None, width: int = 60) -> str:
    if start is None:
        return ""
    return text[max(0, start - width):end + width].replace("\n", " ")


def score_places(gold_path: Path, run: Run) -> Figures:
    """Places per document on distinct referents, as score_places.py counts them."""
    sp = scorer("score_places")
    fig = Figures()
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        doc, gold = row["doc"], row["places"]
        pred = sp.distinct_places(run.mentions.get(doc, []))
        matched = sp.match(gold, pred)
        fig.gold += len(gold)
        fig.predicted += len(pred)
        fig.matched_gold += len(matched)
        fig.matched_pred += len(matched)
        hit = {gi for gi, _ in matched}
        used = {pi for _, pi in matched}
        for gi, g in enumerate(gold):
            fig.by_class[g.get("kind", "?")] += 1
            if gi in hit:
                fig.hit_class[g.get("kind", "?")] += 1
            else:
                fig.errors.append(f"{doc}\tMISSED\t{g.get('kind')}\t{g['mention']}\t{g.get('name_en', '')}")
        text = run.texts.get(doc, "")
        for pi, p in enumerate(pred):
            if pi not in used:
                fig.errors.append(f"{doc}\tWRONG\t{p.get('kind')}\t{p.get('text')}\t{p['place_id']} "
                                  f"{p.get('name_en')}\t…{_context(text, p.get('start'), p.get('end'))}…")
    return fig


def score_events(gold_path: Path, run: Run) -> Figures:
    """Events per document, as score_events.py counts them (background predictions left out)."""
    se = scorer("score_events")
    fig = Figures()
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        doc, golds = row["doc"], row["events"]
        preds = [e for e in run.events.get(doc, []) if e.get("background") is not True]
        fig.predicted += len(preds)
        used: set[int] = set()
        for gi in sorted(range(len(golds)), key=lambda i: golds[i].get("optional", False)):
            g = golds[gi]
            required = not g.get("optional")
            cls = g["types"][0]
            if required:
                fig.gold += 1
                fig.by_class[cls] += 1
            found = next((pi for pi, e in enumerate(preds) if pi not in used and se.fits(g, e)), None)
            if found is None:
                if required:
                    place = (g.get("place") or {}).get("name_en", "-")
                    fig.errors.append(f"{doc}\tMISSED\t{'|'.join(g['types'])}\t{place}\tcount={g.get('count')}"
                                      f"\t{g.get('date_from', '')}\t{g.get('note', '')}")
                continue
            used.add(found)
            fig.matched_pred += 1
            if required:
                fig.matched_gold += 1
                fig.hit_class[cls] += 1
                if g.get("count") is not None:
                    fig.count_known += 1
                    c = preds[found].get("count")
                    if c is not None and abs(c - g["count"]) <= 0.1 * g["count"]:
                        fig.count_ok += 1
                    else:
                        fig.errors.append(f"{doc}\tCOUNT\t{cls}\t{preds[found].get('location_en')}\t"
                                          f"gold={g['count']} got={c} ({preds[found].get('count_text')})")
        for pi, e in enumerate(preds):
            if pi not in used:
                fig.errors.append(f"{doc}\tEXTRA\t{e.get('event_type')}\t{e.get('location_en') or e.get('place_id')}"
                                  f"\t{e.get('event_date')}\tcount={e.get('count')}\t{str(e.get('evidence', ''))[:160]}")
    return fig


@dataclass
class GoldSet:
    """A named gold set: its corpus and gold files."""

    name: str
    corpus: Path
    places: Path | None = None
    events: Path | None = None


def gold_sets(args: list[str], corpus: Path | None) -> list[GoldSet]:
    """Gold sets from file paths, gold folders or set names (see the module docstring)."""
    sets: dict[str, GoldSet] = {}

    def add(path: Path) -> None:
        name, _, what = path.stem.rpartition("_")
        if what not in ("places", "events") or not name:
            raise SystemExit(f"{path}: not a NAME_places.jsonl or NAME_events.jsonl gold file")
        default = SHARED / "seeds" if name == "seeds" else SHARED / name / "corpus"
        gs = sets.setdefault(name, GoldSet(name, corpus or default))
        setattr(gs, what, path)

    for a in args:
        p = Path(a)
        golds = sorted(p.glob("*_places.jsonl")) + sorted(p.glob("*_events.jsonl")) if p.is_dir() else []
        if golds:
            for f in golds:
                add(f)
        elif p.suffix == ".jsonl":
            add(p)
        else:  # a set name
            found = [f for f in (SHARED / "gold" / f"{a}_places.jsonl", SHARED / "gold" / f"{a}_events.jsonl")
                     if f.exists()]
            if not found:
                raise SystemExit(f"{a}: no gold file {a}_places.jsonl or {a}_events.jsonl in {SHARED / 'gold'}")
            for f in found:
                add(f)
    for gs in sets.values():
        if not gs.corpus.is_dir():
            raise SystemExit(f"{gs.name}: corpus folder {gs.corpus} not found (give --corpus)")
    return list(sets.values())


def evaluate(gs: GoldSet) -> tuple[Figures | None, Figures | None]:
    """(places, events) figures of one gold set."""
    run = run_pipeline(gs.corpus)
    return (score_places(gs.places, run) if gs.places else None,
            score_events(gs.events, run) if gs.events else None)


def report(gs: GoldSet, places: Figures | None, events: Figures | None, errors: bool) -> str:
    """The printed report of one set."""
    out = [f"== {gs.name} ({gs.corpus})"]
    if places:
        out.append(f"places  P {places.precision:.3f}  R {places.recall:.3f}  F1 {places.f1:.3f}  "
                   f"(gold {places.gold}, predicted {places.predicted}, matched {places.matched_gold})")
        out.append("  recall by kind: " + ", ".join(
            f"{k} {places.recall_of(k):.2f} ({places.hit_class[k]}/{n})" for k, n in places.by_class.most_common()))
    if events:
        out.append(f"events  P {events.precision:.3f}  R {events.recall:.3f}  F1 {events.f1:.3f}  "
                   f"(required {events.gold}, predicted {events.predicted}, matched required {events.matched_gold}, "
                   f"matched any {events.matched_pred})")
        share = events.count_ok / events.count_known if events.count_known else 0.0
        out.append(f"  count accuracy {events.count_ok}/{events.count_known} = {share:.2f}")
        out.append("  recall by type: " + ", ".join(
            f"{k} {events.recall_of(k):.2f} ({events.hit_class[k]}/{n})" for k, n in events.by_class.most_common()))
    if errors:
        for fig in (places, events):
            if fig:
                out.extend(sorted(fig.errors))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+", help="gold files, gold folders or set names (seeds, dev)")
    ap.add_argument("--corpus", type=Path, help="the corpus folder (default: beside the gold, see above)")
    ap.add_argument("--errors", action="store_true", help="print every miss and wrong prediction")
    args = ap.parse_args(argv)
    for gs in gold_sets(args.gold, args.corpus):
        print(report(gs, *evaluate(gs), args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
