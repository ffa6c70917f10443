"""How likely an extracted event is a real incident at the right place: named features, one weights table.

The rules of events.extract find every candidate incident; what they cannot weigh against each other
(a second event at a place the article already placed one, a governorate named in a summary, a type
told only by an outcome word, a place the article names once in passing) is weighed here by a
logistic model whose weights live in `events/data/event_weights.tsv` (a line of help per weight),
fitted by `python -m events.fit` on the development gold with cross-validation. Events below the
threshold are not emitted: a wrong marker is worse than a missing one. With no weights file (or
`threshold` 0) every candidate is kept: the rule-only extractor.
"""
from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from events.merge import Draft
from events.schema import event_types

WEIGHTS = Path(__file__).parent / "data" / "event_weights.tsv"
KIND_GROUPS = {"governorate": "admin", "district": "admin", "subdistrict": "admin", "region": "region",
               "city": "city", "town": "town", "village": "town", "neighbourhood": "site", "landmark": "site",
               "airbase": "site", "crossing": "site", "camp": "site", "mountain": "region", "valley": "region"}


def feature_names() -> list[str]:
    """Every feature, in the order of the weights table (the registry the table must cover)."""
    return (["bias"] + [f"type_{t}" for t in event_types()]
            + [f"kind_{k}" for k in ("none", *sorted(set(KIND_GROUPS.values())))]
            + ["count_stated", "count_vague", "count_shared", "dated", "generic", "anaphoric", "near",
               "lead", "position", "same_place_events", "same_type_events", "article_events",
               "sentence_events", "place_mentions", "capital"])


def features(kept: list[Draft], place_mentions: Counter, n_sentences: int) -> list[dict[str, float]]:
    """The named features of each merged event of one article (its context is the whole article)."""
    per_place = Counter(d.row["place_id"] for d in kept if d.row["place_id"])
    per_type = Counter(d.row["event_type"] for d in kept)
    per_sentence = Counter(d.sentence for d in kept)
    first = min((d.sentence for d in kept), default=0)
    out = []
    for d in kept:
        r = d.row
        kind = KIND_GROUPS.get(r["kind"] or "", "site") if r["place_id"] else "none"
        f = {"bias": 1.0, f"type_{r['event_type']}": 1.0, f"kind_{kind}": 1.0,
             "count_stated": float(d.count_rank >= 2), "count_vague": float(d.count_rank == 1),
             "count_shared": float(d.count_rank == 2), "dated": float(d.dated), "generic": float(d.generic),
             "anaphoric": float(d.anaphoric), "near": float(r["geo_precision"] == 2 and kind not in ("region", "admin")),
             "lead": float(d.sentence == first), "position": d.sentence / max(1, n_sentences),
             "same_place_events": math.log1p(per_place[r["place_id"]] - 1) if r["place_id"] else 0.0,
             "same_type_events": math.log1p(per_type[r["event_type"]] - 1),
             "article_events": math.log1p(len(kept)), "sentence_events": math.log1p(per_sentence[d.sentence] - 1),
             "place_mentions": math.log1p(place_mentions[r["place_id"]]) if r["place_id"] else 0.0,
             "capital": float(r["place_id"] is not None and r["kind"] == "city" and r["admin1"] == "Damascus")}
        out.append(f)
    return out


@dataclass(frozen=True, slots=True)
class Model:
    """The weights table: a weight per feature, and the probability below which an event is dropped."""

    weights: dict[str, float]
    threshold: float

    def probability(self, f: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in f.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def model(path: Path = WEIGHTS) -> Model | None:
    """The fitted model, or None (rule-only) when there is no weights file."""
    if not path.exists():
        return None
    weights, threshold = {}, 0.0
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader((ln for ln in f if ln.strip() and not ln.startswith("#")), delimiter="\t"):
            if row["name"] == "threshold":
                threshold = float(row["value"])
            else:
                weights[row["name"]] = float(row["value"])
    return Model(weights, threshold)


def write_model(m: Model, help_lines: dict[str, str], path: Path = WEIGHTS, header: str = "") -> None:
    """Write the weights table (atomically), a line of help per weight."""
    import os
    import tempfile

    rows = [("threshold", m.threshold, "events with a lower probability are not emitted")]
    rows += [(n, m.weights.get(n, 0.0), help_lines.get(n, "")) for n in feature_names()]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".event_weights.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(header)
        f.write("name\tvalue\thelp\n")
        for name, value, text in rows:
            f.write(f"{name}\t{value:.4f}\t{text}\n")
    os.replace(tmp, path)
    model.cache_clear()
