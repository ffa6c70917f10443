"""The geoparser's weights table (gazetteer/data/weights.tsv): one number per line with its meaning.

`Weights` is read-only: scoring reads attributes (`w.cue`), `python -m gazetteer fit` writes a new
file with `write`, keeping every help line. A name the code asks for that the file lacks is an
error at load time, not a silent zero.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from gazetteer.memo import LIMIT, Memo

WEIGHTS_FILE = Path(__file__).resolve().parent / "data" / "weights.tsv"


class Weights(Mapping):
    """name -> value, also as attributes; immutable once loaded."""

    def __init__(self, values: dict[str, float], help: dict[str, str] | None = None, header: str = ""):
        d = self.__dict__
        d.update(values)  # plain attributes: scoring reads them in its inner loop
        d["_values"], d["_help"], d["_header"] = dict(values), dict(help or {}), header
        d["_many"] = {}
        d["_memos"] = {}

    def __getattr__(self, name: str) -> float:
        raise AttributeError(f"no weight {name!r} in the weights table")

    def __reduce__(self):
        return Weights, (self._values, self._help, self._header)

    def __setattr__(self, name, value):
        raise AttributeError("Weights are read-only: use replace()")

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def many(self, names: tuple[str, ...]) -> tuple[float, ...]:
        """The values of several names at once, as a tuple (memoised: scoring asks for the same ones)."""
        hit = self._many.get(names)
        if hit is None:
            hit = self._many[names] = tuple(self._values[n] for n in names)
        return hit

    def memo(self, name: str, make: Callable[["Weights", Any], Any] | None = None, limit: int = LIMIT) -> dict:
        """A cache of results computed from these weights alone (`name`: whose), kept as long as they are:
        a plain dict, or with `make` a `Memo` that works out a missing key as make(self, key)."""
        out = self._memos.get(name)
        if out is None:
            out = self._memos[name] = {} if make is None else Memo(partial(make, self), limit)
        return out

    def help(self, name: str) -> str:
        return self._help.get(name, "")

    def replace(self, **changes: float) -> "Weights":
        """A copy with some values changed (or added, with no help line)."""
        return Weights({**self._values, **changes}, self._help, self._header)

    def write(self, path: Path = WEIGHTS_FILE) -> None:
        lines = [self._header.rstrip("\n")] if self._header else []
        for name, value in self._values.items():
            lines.append(f"{name}\t{_fmt(value)}\t{self._help.get(name, '')}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) >= 10 else f"{v:.6g}"


def load(path: Path = WEIGHTS_FILE) -> Weights:
    values: dict[str, float] = {}
    helps: dict[str, str] = {}
    header = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            header.append(line)
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{path.name} line {n}: expected name<TAB>value<TAB>help")
        name, value = parts[0].strip(), float(parts[1])
        if name in values:
            raise ValueError(f"{path.name} line {n}: {name!r} listed twice")
        values[name] = value
        helps[name] = parts[2].strip() if len(parts) > 2 else ""
    return Weights(values, helps, "\n".join(header))
