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
NETWORK_VAR = "EVENTS_SERVE_NETWORK"  # set to 1 to serve beyond this machine on purpose (`make run ADDRESS=…`)
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def store_path(argv: Sequence[str], environ: Mapping[str, str]) -> Path:
    """The store to show; unknown arguments are ignored (Streamlit and pytest pass their own)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(list(argv))
    return Path(args.data or environ.get(ENV_VAR) or DEFAULT_STORE)


def is_default(path: Path) -> bool:
    """True for the bundled seeds' store, the only one the dashboard builds itself when missing."""
    return path.resolve() == DEFAULT_STORE.resolve()


def exposure_problem(address: str | None, environ: Mapping[str, str]) -> str | None:
    """Why the page must not be served, or None: a server bound beyond localhost (Streamlit started
    outside the repository, where `.streamlit/config.toml` does not apply) exposes every article and
    the uploader to the network, so it serves only when that was asked for with EVENTS_SERVE_NETWORK=1."""
    if (address or "") in LOOPBACK or environ.get(NETWORK_VAR) == "1":
        return None
    where = address or "every network interface"
    return (f"This dashboard is listening on {where}, so anyone who can reach this machine could read the "
            f"articles and add to the store. Start it with `--server.address localhost` (or from the "
            f"repository folder), or set {NETWORK_VAR}=1 to serve it to your network on purpose.")
