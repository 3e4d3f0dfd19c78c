"""The `ledger` command as a user runs it: one-line errors, exit codes, real processes where it matters.

Most commands run in this process through typer's ``CliRunner`` (the same ``app`` the console script calls,
with the same environment), which spares a 2-second interpreter start per command; ``run_process`` starts
the real ``ledger`` executable for what only a process proves: its exit status and what reaches stderr when
the configuration is bad before any command runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.settings import Settings
from tests.rawdb import RawDb
from tests.world import make_world

LEDGER = str(Path(sys.executable).parent / "ledger")


@dataclass
class Ran:
    """What a finished command left: its exit status and its two streams (as ``subprocess`` reports them)."""

    returncode: int
    stdout: str
    stderr: str


def _environment(settings: Settings) -> dict[str, str | None]:
    """The variables naming ``settings``' ledger; ``None`` removes a variable."""
    return {
        "LEDGER_DATABASE_URL": settings.database_url,
        "LEDGER_HOME": str(settings.home),
        "LEDGER_ORIGIN": None,
        "COLUMNS": "200",
    }


def run(settings: Settings, *args: str) -> Ran:
    """``ledger ARGS`` on ``settings``' ledger, in this process; an exception that escapes a command (which a
    user would see as a traceback) is raised here, failing the test."""
    from api.cli import app
    from api.cli_support import console

    width = console._width  # a wide console as COLUMNS=200 gives the real process: no folded tables
    console.width = 200
    try:
        result = CliRunner().invoke(app, list(args), env=_environment(settings))
    finally:
        console._width = width
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def run_process(settings: Settings, *args: str) -> Ran:
    """``ledger ARGS`` as a separate process of the installed console script."""
    env = {**os.environ, **_environment(settings)}
    environment = {name: value for name, value in env.items() if value is not None}
    done = subprocess.run(
        [LEDGER, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def assert_one_line_error(result: Ran | subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ledger: "), result.stderr


def test_init_checkpoint_verify_export_round_trip(settings: Settings, tmp_path: Path) -> None:
    first = run(settings, "init", "--origin", "cli.example.org/ledger")
    assert first.returncode == 0, first.stderr
    assert "cli.example.org/ledger+" in first.stdout
    again = run(settings, "init")
    assert_one_line_error(again)
    assert run(settings, "init", "--if-missing").returncode == 0

    world_settings = settings.model_copy(update={"origin": None})
    world = make_world(world_settings)
    try:
        clerk = world.enrol(["BST"])
        member = world.member()
        world.participation(member, clerk)
    finally:
        expected_size = world.system.ledger.max_notification_id()
        world.system.close()

    checkpoint = run(settings, "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    lines = checkpoint.stdout.splitlines()
    assert lines[0] == "cli.example.org/ledger" and lines[1] == str(expected_size)
    verified = run(settings, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "verified" in verified.stdout
    from ledger.system import open_ledger
    from ledger.verifyruns import latest_run

    reopened = open_ledger(world_settings)
    try:
        last = latest_run(reopened.log)
    finally:
        reopened.close()
    assert last is not None and last.ok and last.statements == expected_size

    key = run(settings, "verifier-key").stdout.strip()
    bundle = tmp_path / "member.json"
    exported = run(settings, "export", member, "--out", str(bundle))
    assert exported.returncode == 0, exported.stderr
    ok = run(settings, "verify-bundle", str(bundle), "--key", key)
    assert ok.returncode == 0, ok.stderr
    text = bundle.read_text(encoding="utf-8")
    bundle.write_text(text.replace('"2026-01"', '"2025-01"', 1), encoding="utf-8")
    assert_one_line_error(run(settings, "verify-bundle", str(bundle), "--key", key))


def test_verify_fails_and_names_the_tampered_statement(settings: Settings) -> None:
    assert run(settings, "init").returncode == 0
    db = RawDb(settings)
    try:
        notification_id, stream, _, state = db.events()[0]
        db.set_state(notification_id, state[:-3] + bytes([state[-3] ^ 0x20]) + state[-2:])
    finally:
        db.close()
    result = run_process(settings, "verify")  # the exit status of the real process
    assert result.returncode == 1
    assert "FAILED" in result.stdout and stream in result.stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_configuration_is_one_line(tmp_path: Path, backend: str) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite", home=tmp_path / "home")
    env_bad = {**os.environ, "LEDGER_DATABASE_URL": "mysql://nope", "LEDGER_HOME": str(tmp_path)}
    result = subprocess.run([LEDGER, "checkpoint"], capture_output=True, text=True, env=env_bad, check=False)
    assert_one_line_error(result)
    assert_one_line_error(run(settings, "checkpoint"))  # not initialised
    assert_one_line_error(run(settings, "verify-bundle", str(tmp_path / "missing.json"), "--key", "x"))


def test_serve_shows_which_demo_key_signs_in_as_which_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json as json_

    from api.cli import print_demo_sign_in

    home = tmp_path / "home"
    (home / "demo-keys").mkdir(parents=True)
    actors = [
        {
            "name": "徐帅刚",
            "unit_name": "第一党支部",
            "roles": ["SEC"],
            "role_labels": ["支部书记"],
            "key": "k/sec.pem",
        },
        {
            "name": "另一人",
            "unit_name": "第二党支部",
            "roles": ["SEC"],
            "role_labels": ["支部书记"],
            "key": "k/b.pem",
        },
        {
            "name": "蒋云琪",
            "unit_name": "县委组织部",
            "roles": ["REV"],
            "role_labels": ["回头看审核员"],
            "key": "k/rev.pem",
        },
    ]
    (home / "demo-keys" / "index.json").write_text(json_.dumps(actors, ensure_ascii=False), encoding="utf-8")
    print_demo_sign_in(Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite", home=home))
    out = capsys.readouterr().out
    assert "k/sec.pem" in out and "k/rev.pem" in out
    assert "k/b.pem" not in out  # one actor per role
    print_demo_sign_in(Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite", home=tmp_path / "none"))
    assert capsys.readouterr().out == ""


def test_bench_refuses_an_unknown_backend_in_one_line(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite", home=tmp_path / "home")
    assert_one_line_error(run(settings, "bench", "--backend", "nope"))
