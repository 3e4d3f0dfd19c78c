"""The province generator (``bench.province``): every statement through the ledger's checks, the ledger
verifies afterwards, and the same seed gives the same statements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api.demo.case import Pending
from bench.province import CHUNK, Province, transactions
from ledger.settings import Settings
from ledger.verify import _stored_statements, verify_ledger

TARGET = 700
"""About one small city (the smallest replica has 50 members)."""


def stored(province: Province) -> list[tuple[dict[str, Any], str]]:
    """Every stored statement after the genesis, in commit order, with its signature."""
    return [
        (json.loads(row.statement), row.signature)
        for _, row, _ in _stored_statements(province.system.ledger)
        if row is not None
    ][1:]


def test_a_province_grows_through_the_checks_and_verifies(settings: Settings) -> None:
    province = Province(settings, seed=5)
    try:
        step = province.grow(TARGET)
        ledger = province.system.ledger
        assert province.statements >= TARGET * 0.98
        assert step.statements == province.statements - 1 == len(stored(province))
        assert province.system.log.size() == province.statements  # the log is brought up to date
        assert province.members and len(province.branches) == 4 * province.cities
        report = verify_ledger(ledger, province.system.log, ledger_public_key=ledger.ledger_public_key)
        assert report.ok, report.failures[:3]
        recorded = {record.recorded_at[:10] for record in ledger.read_stream(province.members[0])}
        assert recorded and all(day < "2027" for day in recorded)  # recorded as of the demo's days
    finally:
        province.close()


def test_the_same_seed_gives_the_same_statements(tmp_path: Path) -> None:
    """Member streams are signed by the cities' own actors (keys from the seed): identical, in the same
    order. Registry statements are signed by each ledger's own root administrator: identical bodies."""
    runs = []
    for name in ("a", "b"):
        home = tmp_path / name
        settings = Settings(database_url=f"sqlite:///{home}/ledger.sqlite", home=home, origin="p.example/x")
        province = Province(settings, seed=9)
        try:
            province.grow(TARGET)
            runs.append((stored(province), province.members))
        finally:
            province.close()
    (first, members_a), (second, members_b) = runs
    assert members_a == members_b
    members = set(members_a)
    assert [s for s in first if s[0]["stream"] in members] == [s for s in second if s[0]["stream"] in members]
    assert [(s["stream"], s["body"]) for s, _ in first if s["stream"] not in members] == [
        (s["stream"], s["body"]) for s, _ in second if s["stream"] not in members
    ]


def pending(day: str, n: int) -> list[Pending]:
    return [Pending(day, {"n": i}, "") for i in range(n)]


def test_transactions_pack_whole_days_up_to_the_chunk() -> None:
    items = pending("2021-01-01", CHUNK + 10) + pending("2021-01-02", 3) + pending("2021-01-03", CHUNK - 5)
    packs = list(transactions(items))
    assert [[(day, len(part)) for day, part in pack] for pack in packs] == [
        [("2021-01-01", CHUNK)],
        [("2021-01-01", 10), ("2021-01-02", 3)],
        [("2021-01-03", CHUNK - 5)],
    ]
    assert [p for pack in packs for _, part in pack for p in part] == items


def test_concurrent_appenders_append_the_same_cities_through_the_checks(tmp_path: Path) -> None:
    """Three appender processes (PostgreSQL, the growth run's setting): every city's statements are in,
    the log covers them and the ledger verifies."""
    from bench import scale

    settings = scale.growth_settings("postgres", tmp_path)
    province = Province(settings, seed=9, appenders=3)
    try:
        province.grow(3 * TARGET)
        assert province.cities >= 2
        assert province.system.log.size() == province.statements == len(stored(province)) + 1
        ledger = province.system.ledger
        report = verify_ledger(ledger, province.system.log, ledger_public_key=ledger.ledger_public_key)
        assert report.ok, report.failures[:3]
        streams = {s["stream"] for s, _ in stored(province)}
        assert set(province.members) <= streams
    finally:
        province.close()
        scale.drop_database(scale.database_of(settings.database_url))
