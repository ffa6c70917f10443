"""Regression floor on the development gold: a fresh build of the bundled seeds, scored with the team's
scorer. tests/data/ holds copies of shared/gold/seeds_events.jsonl and shared/tools/score_events.py
(unchanged). The floors guard against regressions; the extractor is not tuned to these texts.
"""
from events.pipeline import build
from tests.conftest import ROOT


def test_seeds_recall_precision_and_count_accuracy_floors(tmp_path, dev_gold_score):
    out = tmp_path / "events.jsonl"
    build([ROOT / "seeds"], out, fmt="jsonl")
    figures = dev_gold_score("score_events", "seeds_events.jsonl", out)
    ok, known = map(int, figures["count_accuracy"].split("/"))
    assert float(figures["recall"]) >= 0.85, figures
    assert float(figures["precision"]) >= 0.80, figures
    assert ok / known >= 0.80, figures
