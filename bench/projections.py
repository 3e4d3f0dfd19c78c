"""Projection benchmarks: rebuild rate of each projection vs the raw notification read rate.

The ledger is the demo world (``ledger demo``); the raw rate reads and decodes every stored event
through the eventsourcing library's notification log, which any projection must do at least.
"""

from __future__ import annotations

import time

from api.demo.run import run_demo
from bench.kernel import Figure, Tick
from ledger.settings import Settings
from ledger.system import open_ledger
from projections.registry import open_projections

PAGE = 2000


def raw_read_rate(settings: Settings) -> tuple[int, float]:
    """Statements per second read and decoded from the notification log (the floor of any rebuild)."""
    system = open_ledger(settings)
    try:
        recorder, mapper = system.ledger.app.recorder, system.ledger.app.mapper
        started, count, start = time.perf_counter(), 0, 0
        while True:
            page = recorder.select_notifications(start=start, limit=PAGE, inclusive_of_start=False)
            if not page:
                break
            for notification in page:
                mapper.to_domain_event(notification)
            count += len(page)
            start = page[-1].id
        return count, count / (time.perf_counter() - started)
    finally:
        system.close()


def bench_rebuilds(settings: Settings, members: int, tick: Tick) -> list[Figure]:
    """Fill a demo ledger, then time the raw read and each projection's rebuild (raw before and after)."""
    run_demo(settings, seed=1, members=members)
    tick(1)
    count, raw_before = raw_read_rate(settings)
    system = open_ledger(settings)
    reports = []
    try:
        for projection in open_projections(system):
            reports.append(projection.rebuild())
            tick(1)
    finally:
        system.close()
    _, raw_after = raw_read_rate(settings)
    raw = (raw_before + raw_after) / 2
    figures = [
        Figure(
            f"rebuild {r.name} ({count:,} statements)",
            r.statements / r.seconds,
            "statements/s",
            raw,
            "ratio ≥ 0.3",
        )
        for r in reports
    ]
    figures.append(Figure("  raw notification read + decode", raw, "statements/s"))
    return figures
