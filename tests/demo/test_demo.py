"""`ledger demo` on SQLite and PostgreSQL: it fills a fresh ledger that verifies, walks every procedure path,
is deterministic for a seed, uses fake but valid ID numbers, and refuses a ledger that is not empty."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from api.cli_demo import commands
from api.demo.keystore import read_index
from api.demo.people import FAKE_REGION_PREFIX
from api.demo.run import DemoRefused, run_demo
from domain.identity import is_valid_id_number
from domain.procedures import ANY, PROCEDURES
from ledger import keys
from ledger.settings import Settings
from ledger.system import open_ledger
from ledger.verify import _stored_statements, verify_ledger
from tests.conftest import settings_for

MEMBERS = 40


def statements(settings: Settings) -> list[dict[str, Any]]:
    """Every stored statement, in commit order."""
    system = open_ledger(settings)
    try:
        return [json.loads(stored.statement) for _, stored, _ in _stored_statements(system.ledger) if stored]
    finally:
        system.close()


def paths_walked(found: list[dict[str, Any]]) -> set[str]:
    """Path ids seen: `ref.path` of path steps (also inside 补录), and the statement types of the others."""
    types = {s["type"] for s in found}
    seen = set()
    for s in found:
        body = (
            s["body"].get("record_body", s["body"]) if s["type"] == "HistoricalRecordEntered" else s["body"]
        )
        if isinstance(body.get("ref"), dict):
            seen.add(body["ref"]["path"])
    for path, procedure in PROCEDURES.items():
        kinds = {k for step in procedure.steps for k in step.statements if k != ANY}
        if not procedure.uses_ref and kinds & types:
            seen.add(path)
    return seen


def test_demo_fills_a_fresh_ledger_that_verifies_and_walks_every_path(settings: Settings) -> None:
    calls: list[tuple[int, int]] = []
    report = run_demo(settings, seed=3, members=MEMBERS, progress=lambda d, t: calls.append((d, t)))
    assert report.members == MEMBERS and calls[-1][0] == calls[-1][1] == report.statements
    found = statements(settings)
    assert len(found) == report.statements + 1
    system = open_ledger(settings)
    try:
        result = verify_ledger(system.ledger, system.log, ledger_public_key=system.ledger.ledger_public_key)
        assert result.failures == []
        assert system.runner is not None and system.runner.pending() == 0
    finally:
        system.close()
    assert paths_walked(found) == set(PROCEDURES)
    members = [s for s in found if s["type"] == "MemberRegistered"]
    members += [s for s in found if s["body"].get("record_type") == "MemberRegistered"]
    assert len(members) == MEMBERS
    days = sorted(s["occurred_at"] for s in found)
    assert days[0][:4] == "2016" and days[-1][:4] == "2026"


def test_id_numbers_are_valid_and_fake(settings: Settings) -> None:
    run_demo(settings, seed=5, members=MEMBERS)
    numbers = []
    for s in statements(settings):
        body = s["body"].get("record_body", s["body"])
        if "id_number" in body:
            numbers.append(body["id_number"])
    assert len(numbers) == MEMBERS and len(set(numbers)) == MEMBERS
    assert all(is_valid_id_number(n) and n.startswith(FAKE_REGION_PREFIX) for n in numbers)


def test_keystore_holds_a_key_per_actor(settings: Settings) -> None:
    run_demo(settings, seed=2, members=MEMBERS)
    index = read_index(settings)
    registered = {s["stream"]: s["body"] for s in statements(settings) if s["type"] == "KeyEnrolled"}
    for entry in index:
        key = keys.load_private_key(str(entry["key"]), None)
        assert keys.key_id(key.public_key()) == registered[str(entry["actor"])]["key_id"]
    roles = {r for entry in index for r in entry["roles"]}  # type: ignore[attr-defined]
    assert {"SEC", "BCM", "BST", "GBS", "CSEC", "CST", "ODL", "ODS", "REV", "APH"} <= roles


def test_same_seed_gives_same_statements(
    settings: Settings, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    other = settings_for("sqlite", tmp_path / "again", request)
    run_demo(settings, seed=11, members=MEMBERS)
    run_demo(other, seed=11, members=MEMBERS)

    def content(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return sorted((s["type"], s["stream"], s["seq"], s["occurred_at"], json.dumps(s["body"], sort_keys=True))
                      for s in found[1:])  # fmt: skip

    first, second = content(statements(settings)), content(statements(other))
    assert first == second
    third = settings_for("sqlite", tmp_path / "other-seed", request)
    run_demo(third, seed=12, members=MEMBERS)
    assert content(statements(third)) != first


def test_a_ledger_with_more_than_the_genesis_is_refused(settings: Settings) -> None:
    run_demo(settings, seed=1, members=MEMBERS)
    count = len(statements(settings))
    with pytest.raises(DemoRefused, match="empty ledger"):
        run_demo(settings, seed=1, members=MEMBERS)
    assert len(statements(settings)) == count


def test_cli_writes_then_refuses_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = typer.Typer()
    app.add_typer(commands)

    @app.callback()
    def main() -> None:
        """The ledger CLI as mounted."""

    monkeypatch.setenv("LEDGER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    monkeypatch.setenv("LEDGER_ORIGIN", "demo.example.org/ledger")
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--members", "30", "--seed", "4"])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "home" / "demo-keys" / "index.json").exists()
    again = runner.invoke(app, ["demo", "--members", "30"])
    assert again.exit_code == 1
    lines = again.output.strip().splitlines()
    assert len(lines) == 1 and "empty ledger" in lines[0]
