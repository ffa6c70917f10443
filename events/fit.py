"""Fit the event confidence model (events/confidence.py) on gold sets, with cross-validation by document.

    .venv/bin/python -m events.fit                 # seeds + dev from ../shared, 5 folds, print only
    .venv/bin/python -m events.fit --write         # ... and rewrite events/data/event_weights.tsv

Every candidate event of the rule extractor is labelled by the team's scorer (does it match a gold
event, required or optional?); a logistic regression over the named features is fitted on the
training folds, its threshold chosen there (best event F1), and the held-out folds are scored as
score_events.py scores them. Only the final weights (fitted on all documents) are written; the
figures to quote are the held-out ones. Needs scikit-learn.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from events.confidence import Model, feature_names, write_model
from events.corpus import read_articles
from events.extract import extract
from gazetteer import geoparse

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
HELP = {
    "bias": "intercept", "count_stated": "a number of people is stated for it",
    "count_vague": "only a vague amount (عشرات) is stated", "count_shared": "one number told for a list of places",
    "dated": "the text dates it (not only the publication date)", "generic": "typed by an unspecific cue (قصف، استهداف)",
    "anaphoric": "its cues refer back (المنشقين، الانشقاقات)", "near": "placed near / around a place",
    "lead": "reported in the article's first reporting sentence", "position": "how far into the article (0..1)",
    "same_place_events": "other events the article places at the same place (log)",
    "same_type_events": "other events of the same type in the article (log)",
    "article_events": "events in the article (log)", "sentence_events": "other events of the same sentence (log)",
    "place_mentions": "how often the article names its place (log)", "capital": "placed at the capital city",
}


def _scorer():
    path = SHARED / "tools" / "score_events.py"
    if not path.exists():
        path = ROOT / "tests" / "data" / "score_events.py"
    spec = importlib.util.spec_from_file_location("_score_events", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@dataclass
class Doc:
    """One gold document: its gold events and the extractor's candidates (with features)."""

    name: str
    gold: list[dict]
    rows: list[dict]


def load(sets: list[str]) -> list[Doc]:
    """Candidates and gold of every document of the named sets (`seeds`, `dev`)."""
    docs = []
    for name in sets:
        corpus = ROOT / "seeds" if name == "seeds" else SHARED / name / "corpus"
        gold = {}
        for line in (SHARED / "gold" / f"{name}_events.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold[row["doc"]] = row["events"]
        for a in read_articles([corpus], []):
            doc = a.analysis
            rows = [r for r in extract(a, doc, geoparse(doc), with_features=True) if not r["background"]]
            key = Path(a.doc).name
            docs.append(Doc(f"{name}/{key}", gold.get(key, []), rows))
    return docs


def match(fits, gold: list[dict], preds: list[dict]) -> tuple[set[int], int, int, int, int]:
    """score_events.py's greedy matching: (matched prediction indexes, required, matched required,
    counts known, counts right)."""
    used: set[int] = set()
    req = hit = known = ok = 0
    for gi in sorted(range(len(gold)), key=lambda i: gold[i].get("optional", False)):
        g = gold[gi]
        if not g.get("optional"):
            req += 1
        found = next((pi for pi, e in enumerate(preds) if pi not in used and fits(g, e)), None)
        if found is None:
            continue
        used.add(found)
        if not g.get("optional"):
            hit += 1
            if g.get("count") is not None:
                known += 1
                c = preds[found].get("count")
                ok += c is not None and abs(c - g["count"]) <= 0.1 * g["count"]
    return used, req, hit, known, ok


def evaluate(fits, docs: list[Doc], keep) -> dict[str, float]:
    """Event P/R/F1 and count accuracy over documents, keeping the candidates `keep(row)` accepts."""
    req = hit = n_pred = hit_pred = known = ok = 0
    for d in docs:
        preds = [r for r in d.rows if keep(r)]
        used, r_, h_, k_, o_ = match(fits, d.gold, preds)
        req, hit, known, ok = req + r_, hit + h_, known + k_, ok + o_
        n_pred, hit_pred = n_pred + len(preds), hit_pred + len(used)
    p = hit_pred / n_pred if n_pred else 0.0
    r = hit / req if req else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "count": ok / known if known else 0.0}


def fit(fits, docs: list[Doc], c: float = 1.0, threshold: float | None = None) -> Model:
    """Logistic regression on the labelled candidates of `docs`; threshold = best F1 on them."""
    from sklearn.linear_model import LogisticRegression

    names = feature_names()
    x, y = [], []
    for d in docs:
        used = match(fits, d.gold, d.rows)[0]
        for i, r in enumerate(d.rows):
            x.append([r["_features"].get(n, 0.0) for n in names])
            y.append(int(i in used))
    lr = LogisticRegression(C=c, max_iter=2000, fit_intercept=False).fit(x, y)
    weights = dict(zip(names, map(float, lr.coef_[0])))
    if threshold is not None:
        return Model(weights, threshold)
    best = max((evaluate(fits, docs, lambda r, t=t: Model(weights, t).probability(r["_features"]) >= t)["f1"], t)
               for t in [i / 20 for i in range(2, 15)])
    return Model(weights, best[1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="*", default=["seeds", "dev"])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="rewrite events/data/event_weights.tsv")
    ap.add_argument("--threshold", type=float, help="a fixed threshold instead of the best F1 on the training folds")
    args = ap.parse_args(argv)
    fits = _scorer().fits
    docs = load(args.sets)
    order = sorted({d.name for d in docs})
    random.Random(13).shuffle(order)
    fold_of = {name: i % args.folds for i, name in enumerate(order)}
    held = []
    for k in range(args.folds):
        train = [d for d in docs if fold_of[d.name] != k]
        test = [d for d in docs if fold_of[d.name] == k]
        m = fit(fits, train, threshold=args.threshold)
        rules = evaluate(fits, test, lambda r: True)
        fitted = evaluate(fits, test, lambda r, m=m: m.probability(r["_features"]) >= m.threshold)
        held.extend((d, m) for d in test)
        print(f"fold {k}: {len(test)} docs, threshold {m.threshold:.2f}  rules P {rules['precision']:.3f} "
              f"R {rules['recall']:.3f} F1 {rules['f1']:.3f}  ->  fitted P {fitted['precision']:.3f} "
              f"R {fitted['recall']:.3f} F1 {fitted['f1']:.3f} count {fitted['count']:.2f}")
    models = {d.name: m for d, m in held}
    for name in args.sets:
        part = [d for d in docs if d.name.startswith(name + "/")]
        rules = evaluate(fits, part, lambda r: True)
        # each document scored by the model of the fold that held it out
        kept = [Doc(d.name, d.gold, [r for r in d.rows if models[d.name].probability(r["_features"])
                                     >= models[d.name].threshold]) for d in part]
        out = evaluate(fits, kept, lambda r: True)
        print(f"{name} held-out: rules P {rules['precision']:.3f} R {rules['recall']:.3f} F1 {rules['f1']:.3f} "
              f"count {rules['count']:.2f}  ->  fitted P {out['precision']:.3f} R {out['recall']:.3f} "
              f"F1 {out['f1']:.3f} count {out['count']:.2f}")
    final = fit(fits, docs, threshold=args.threshold)
    print("weights:", ", ".join(f"{k} {v:+.2f}" for k, v in final.weights.items()), f"threshold {final.threshold:.2f}")
    if args.write:
        write_model(final, HELP, header=f"# Fitted by `python -m events.fit {' '.join(args.sets)}` "
                                        f"({len(docs)} documents); see events/confidence.py.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
