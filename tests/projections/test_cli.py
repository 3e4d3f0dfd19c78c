"""The projection commands: rebuild with a progress bar, status and dossier as JSON, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from api.cli_projections import app
from ledger.settings import Settings
from tests.projections.stories import Story

runner = CliRunner()


@pytest.fixture
def env(story: Story, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Story:
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LEDGER_HOME", str(settings.home))
    monkeypatch.setenv("LEDGER_CIPHER_KEY", "")
    return story


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rebuild_status_and_dossier_commands(env: Story) -> None:
    rebuilt = runner.invoke(app, ["rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "status:" in rebuilt.output and "dossier:" in rebuilt.output
    listed = runner.invoke(app, ["status", "--state", "LOST_SEARCHING", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [m["name"] for m in json.loads(listed.output)["members"]] == ["赵磊"]
    page = runner.invoke(app, ["dossier", env.xie.stream, "--as-of", "2024-03-01", "--json"])
    assert page.exit_code == 0, page.output
    assert json.loads(page.output)["basic"]["name"] == "谢军"
    table = runner.invoke(app, ["status"])
    assert table.exit_code == 0 and "黄海" in table.output
    bad = runner.invoke(app, ["rebuild", "nope"])
    assert bad.exit_code == 1 and "no projection named 'nope'" in bad.output
