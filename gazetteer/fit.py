"""`python -m gazetteer fit`: fit the span model's weights (`span_*` in weights.tsv) on gold sets.

Each candidate span of each gold document becomes one example: its `span_vector` (gazetteer.features)
and a label, 1 when one of the places it may name is a gold place of that document (the gold `accept`
list, or within the gold `tol_km` of its point: the scorer's rule). A logistic regression (scikit-learn)
gives the weights. Vetoed spans (hand rules that stay as hard constraints) are left out: the model never
sees them.

Cross-validation is BY DOCUMENT: the documents are cut into k folds; for each fold the model is fitted on
the others and the whole geoparser, with those weights, is scored on the held-out documents (P/R/F1 on
distinct places, as ../shared/tools/score_places.py counts them). Features depend on the weights a little
(list membership travels from confident neighbours), so examples are read with the current weights, and
the fit is repeated once with examples read under the first fit.
"""
from __future__ import annotations

import importlib.util
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from arabic import analyse
from gazetteer import weights as weights_table
from gazetteer.features import SPAN_FEATURES, span_vector
from gazetteer.geoparser import Geoparser, _region
from gazetteer.index import NameIndex, get_index
from gazetteer.resolve import hard_zero
from gazetteer.weights import Weights



@dataclass
class GoldDoc:
    name: str
    text: str
    places: list[dict]


def load_sets(names: list[str], shared: Path) -> list[GoldDoc]:
    """Gold documents of the named sets (`dev` -> shared/dev/corpus, `seeds` -> shared/seeds); a set
    whose gold file is missing is a clear error (the gold sets are not part of the product)."""
    out = []
    for name in names:
        corpus = shared / "seeds" if name == "seeds" else shared / name / "corpus"
        gold = shared / "gold" / f"{name}_places.jsonl"
        if not gold.is_file():
            raise SystemExit(f"no gold set {name!r}: {gold} not found (give the folder with --shared)")
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                path = corpus / row["doc"]
                if path.exists():
                    out.append(GoldDoc(f"{name}/{row['doc']}", path.read_text(encoding="utf-8"), row["places"]))
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, a)))


def _names_gold(points: list[tuple[str, float, float]], gold: list[dict]) -> bool:
    return any(pid in g.get("accept", []) or _km(g["lat"], g["lon"], lat, lon) <= g["tol_km"]
               for pid, lat, lon in points for g in gold)


def _points(s, idx: NameIndex) -> list[tuple[str, float, float]]:
    if s.cand.match == "region":
        pid, _, _, _, lat, lon = _region(s.cand.region, s.cand.rows[0], idx)
        return [(pid, lat, lon)]
    out = []
    for r in s.cand.rows:
        lat, lon = float(idx.lat[r]), float(idx.lon[r])
        if idx.kind[r] == "governorate":
            lat, lon = idx.region_centres.get(idx.admin1[r], (lat, lon))
        out.append((idx.place_id[r], lat, lon))
    return out


def examples(docs: list[GoldDoc], gp: Geoparser) -> tuple[list[tuple[float, ...]], list[int]]:
    """(span vectors, labels) of every candidate span not ruled out by a hard constraint."""
    xs, ys = [], []
    for d in docs:
        scored, _ = gp.candidates(analyse(d.text))
        for s in scored:
            if hard_zero(s.f):
                continue
            xs.append(span_vector(s.f))
            ys.append(int(_names_gold(_points(s, gp.index), d.places)))
    return xs, ys


def fit_weights(docs: list[GoldDoc], base: Weights, index: NameIndex, scorer: ModuleType, c: float = 1.0,
                rounds: int = 2) -> Weights:
    """Weights with the span model fitted on docs (logistic regression, L2 with strength 1/c)."""
    from sklearn.linear_model import LogisticRegression

    w = base
    for _ in range(rounds):
        xs, ys = examples(docs, Geoparser(index, w))
        model = LogisticRegression(C=c, max_iter=2000).fit(xs, ys)
        changes = {"span_bias": float(model.intercept_[0])}
        changes.update({f"span_{n}": float(v) for n, v in zip(SPAN_FEATURES, model.coef_[0])})
        w = w.replace(**{k: round(v, 4) for k, v in changes.items()})
    # The threshold that gives the best F1 on the training documents (a tie goes to the stricter one).
    best = max(THRESHOLDS, key=lambda t: (prf(*score(docs, Geoparser(index, w.replace(threshold=t)), scorer))[2], t))
    return w.replace(threshold=best)


THRESHOLDS = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def load_scorer(shared: Path) -> ModuleType:
    """The team's scorer (`shared/tools/score_places.py`), loaded once per fit: P/R/F1 exactly as it counts."""
    path = shared / "tools" / "score_places.py"
    if not path.is_file():
        raise SystemExit(f"no scorer at {path} (give the folder with --shared)")
    spec = importlib.util.spec_from_file_location("_score_places", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score(docs: list[GoldDoc], gp: Geoparser, scorer: ModuleType) -> tuple[int, int, int]:
    """(matched, predicted, gold) over distinct places per document, as score_places.py counts them."""
    tp = npred = ngold = 0
    for d in docs:
        pred = scorer.distinct_places([m.to_json() for m in gp(d.text)])
        tp += len(scorer.match(d.places, pred))
        npred += len(pred)
        ngold += len(d.places)
    return tp, npred, ngold


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_validate(docs: list[GoldDoc], base: Weights, index: NameIndex, scorer: ModuleType, folds: int = 5,
                   seed: int = 0, c: float = 1.0, log=print) -> tuple[float, float, float]:
    """Per-fold held-out P/R/F1 (printed) and the pooled figures over all held-out documents."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    total = [0, 0, 0]
    for k in range(folds):
        held_out = set(order[k::folds])
        held = [docs[i] for i in order[k::folds]]
        train = [docs[i] for i in order if i not in held_out]
        w = fit_weights(train, base, index, scorer, c)
        tp, npred, ngold = score(held, Geoparser(index, w), scorer)
        total = [total[0] + tp, total[1] + npred, total[2] + ngold]
        p, r, f = prf(tp, npred, ngold)
        log(f"fold {k + 1}/{folds}: {len(held)} held-out docs  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    p, r, f = prf(*total)
    log(f"cross-validated (pooled held-out): P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    return p, r, f


def main(sets: list[str], folds: int, write: bool, c: float, shared: Path,
         out: Path = weights_table.WEIGHTS_FILE) -> int:
    docs = load_sets(sets, shared)
    scorer = load_scorer(shared)
    index = get_index()
    base = weights_table.load(out)
    print(f"{len(docs)} documents from {', '.join(sets)}; {folds}-fold cross-validation by document")
    cross_validate(docs, base, index, scorer, folds, c=c)
    w = fit_weights(docs, base, index, scorer, c)
    tp, npred, ngold = score(docs, Geoparser(index, w), scorer)
    p, r, f = prf(tp, npred, ngold)
    print(f"fitted on all (in-sample, optimistic): P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"  {'threshold':<24} {w.threshold:.2f}")
    for name in ("span_bias", *(f"span_{n}" for n in SPAN_FEATURES)):
        print(f"  {name:<24} {w[name]:+.3f}")
    if write:
        w.write(out)
        print(f"wrote {out}")
    return 0
