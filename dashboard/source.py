"""Which events store the dashboard shows: `--data PATH` (after `--`), else $EVENTS_STORE, else the seeds'.

The command line wins over the environment because it is the more explicit of the two.
"""
from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "seeds"
DEFAULT_STORE = SEEDS_DIR / "events.parquet"
ENV_VAR = "EVENTS_STORE"


def store_path(argv: Sequence[str], environ: Mapping[str, str]) -> Path:
    """The store to show; unknown arguments are ignored (Streamlit and pytest pass their own)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(list(argv))
    return Path(args.data or environ.get(ENV_VAR) or DEFAULT_STORE)


def is_default(path: Path) -> bool:
    """True for the bundled seeds' store, the only one the dashboard builds itself when missing."""
    return path.resolve() == DEFAULT_STORE.resolve()
