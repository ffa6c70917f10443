"""Regression floor on the development gold: a fresh build of the bundled seeds, scored with the team's
scorer. tests/data/ holds copies of shared/gold/seeds_events.jsonl and shared/tools/score_events.py
(unchanged). The floors guard against regressions; the extractor is not tuned to these texts.
"""
import importlib.util
from pathlib import Path

from events.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_events", DATA / "score_events.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_seeds_recall_precision_and_count_accuracy_floors(tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    build([ROOT / "seeds"], out, fmt="jsonl")
    capsys.readouterr()
    assert _scorer().main(["score", str(DATA / "seeds_events.jsonl"), str(out)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    figures = {k: v for line in lines[-2:] for k, v in (kv.split("=") for kv in line.split())}
    ok, known = map(int, figures["count_accuracy"].split("/"))
    assert float(figures["recall"]) >= 0.85, lines
    assert float(figures["precision"]) >= 0.80, lines
    assert ok / known >= 0.80, lines
