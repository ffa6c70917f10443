"""Shared test helpers: the team's scorers (unchanged copies in tests/data/) run on the dev gold."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture
def dev_gold_score(capsys):
    """score(tool, gold, pred) -> {figure: value} from the last lines a tests/data scorer prints."""

    def score(tool: str, gold: str, pred: Path) -> dict[str, str]:
        spec = importlib.util.spec_from_file_location(tool, DATA / f"{tool}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        capsys.readouterr()
        assert mod.main([tool, str(DATA / gold), str(pred)]) == 0
        lines = capsys.readouterr().out.strip().splitlines()
        return {k: v for line in lines[-2:] for k, v in (kv.split("=") for kv in line.split())}

    return score
