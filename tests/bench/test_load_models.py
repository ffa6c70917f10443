"""bench/load.py's load models with stand-in analysts (no server): lockstep really fires every step
together, and a failing step is counted, not timed, without stalling the others at the barrier."""
from __future__ import annotations

import asyncio
import itertools
import sys
from dataclasses import dataclass, field

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))  # bench/ is not a package the project installs
from bench import load  # noqa: E402

STEPS = ("a", "b", "c")


@dataclass
class Log:
    events: list[tuple[str, int, str]] = field(default_factory=list)  # (start|end, analyst, step)


@dataclass
class FakeVisit:
    who: int
    log: Log
    fail_at: str | None
    steps: tuple[str, ...] = STEPS

    async def step(self, name: str) -> None:
        self.log.events.append(("start", self.who, name))
        await asyncio.sleep(0.01 * (self.who + 1))  # the analysts take different times
        if name == self.fail_at:
            raise RuntimeError("page error")
        self.log.events.append(("end", self.who, name))

    async def close(self) -> None:
        pass


@dataclass
class FakeAnalyst:
    who: int
    log: Log
    fail_at: str | None = None

    def visit(self, number: int) -> FakeVisit:
        return FakeVisit(self.who, self.log, self.fail_at)


class NoServer:
    """Stands in for the sampler: no process to watch."""

    proc = None
    peak = 0

    def reset(self) -> None:
        pass

    def cpu(self) -> float:
        return 0.0


def run_phase(analysts, monkeypatch) -> load.Phase:
    monkeypatch.setattr(load, "own_cpu", lambda server: 0.0)
    phase = load.Phase("test", len(analysts))
    asyncio.run(load.measure(phase, analysts, 2, itertools.count(), NoServer(), lockstep=True))
    return phase


def test_lockstep_starts_each_step_only_when_every_analyst_finished_the_last(monkeypatch):
    log = Log()
    phase = run_phase([FakeAnalyst(i, log) for i in range(3)], monkeypatch)
    current, done = None, 0
    for kind, _, step in log.events:
        if kind == "start" and step != current:
            assert current is None or done == 3, f"{step} started while {current} ran"
            current, done = step, 0
        elif kind == "end":
            assert step == current
            done += 1
    assert [step for kind, _, step in log.events if kind == "start"] == [s for s in STEPS * 2 for _ in range(3)]
    assert all(len(times) == 3 * 2 for times in phase.times.values())


def test_a_failed_step_is_counted_not_timed_and_the_others_carry_on(monkeypatch):
    log = Log()
    phase = run_phase([FakeAnalyst(0, log, fail_at="b"), FakeAnalyst(1, log)], monkeypatch)
    assert phase.failures == {"b: RuntimeError: page error": 2}  # once per visit
    assert len(phase.times["a"]) == 4 and len(phase.times["b"]) == 2 and len(phase.times["c"]) == 2
    assert ("start", 0, "c") not in log.events  # the failed visit skipped its remaining step
