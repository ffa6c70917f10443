"""Regression floor on the development gold: the bundled seed articles, scored with the team's scorer.

tests/data/ holds copies of shared/gold/seeds_places.jsonl and shared/tools/score_places.py (unchanged).
The floor guards against regressions; the geoparser is not tuned to these texts.
"""
import importlib.util
import json
from pathlib import Path

from gazetteer import geoparse

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_places", DATA / "score_places.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_seeds_precision_and_recall_at_least_095(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            mentions = geoparse(path.read_text(encoding="utf-8"))
            f.write(json.dumps({"doc": path.name, "mentions": [m.to_json() for m in mentions]},
                               ensure_ascii=False) + "\n")
    assert _scorer().main(["score", str(DATA / "seeds_places.jsonl"), str(pred)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = dict(kv.split("=") for kv in last.split())
    assert float(figures["precision"]) >= 0.95, last
    assert float(figures["recall"]) >= 0.95, last
