"""The projection commands: rebuild with a progress bar, status and dossier as JSON; registers, 附件5 and
回头看 as tables, JSON and .xlsx, as of a date on either basis; one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from api.cli import app as ledger
from api.cli_projections import app
from api.cli_support import console
from ledger.settings import Settings
from tests.domain.engine_world import U
from tests.projections.stories import Story

runner = CliRunner()


@pytest.fixture
def env(story: Story, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Story:
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LEDGER_HOME", str(settings.home))
    monkeypatch.delenv("LEDGER_CIPHER_KEY", raising=False)  # a PostgreSQL ledger keeps its key in LEDGER_HOME
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


@pytest.fixture
def reports(env: Story, monkeypatch: pytest.MonkeyPatch) -> Story:
    """The story plus 赵磊 contacted on 2025-01-05 but recorded on 2025-03-10 (the bases differ in between);
    a console wide enough for the 25 columns of 附件5."""
    contact = {"via": "member_initiative", "whereabouts": "本地"}
    env.zhao.add("ContactRestored", contact, "吴芳", "2025-01-05", recorded="2025-03-10")
    monkeypatch.setattr(console, "width", 400)
    return env


def run(*args: str) -> Result:
    """``ledger ARGS`` through the main command line, which mounts the projection commands."""
    return runner.invoke(ledger, list(args))


def one_line_failure(result: Result) -> str:
    """The one line a refused command prints (and it exits non-zero, no traceback)."""
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1 and lines[0].startswith("ledger: "), result.output
    return lines[0]


def test_statistics_table_json_basis_and_xlsx(reports: Story, tmp_path: Path) -> None:
    occurred = json.loads(run("statistics", "--unit", U["D"], "--as-of", "2025-02-28", "--json").output)
    assert occurred["basis"] == "occurred" and occurred["ok"]
    picked = ("A", "B", "G", "I", "N", "O", "W")
    assert {k: occurred["counts"][k] for k in picked} == {
        "A": 3,
        "B": 3,
        "G": 1,
        "I": 1,
        "N": 2,
        "O": 0,
        "W": 0,
    }
    recorded = run("statistics", "--unit", U["D"], "--as-of", "2025-02-28", "--basis", "recorded", "--json")
    counts = json.loads(recorded.output)["counts"]
    assert {k: counts[k] for k in picked} == {"A": 3, "B": 2, "G": 1, "I": 1, "N": 1, "O": 1, "W": 1}
    path = tmp_path / "附件5.xlsx"
    table = run("statistics", "--unit", U["D"], "--as-of", "2025-02-28", "--xlsx", str(path))
    assert table.exit_code == 0, table.output
    assert "与党组织失去联系党员规范管理和组织处置有关情况统计表" in table.output
    row = next(line for line in table.output.splitlines() if "2025-02-28" in line)
    cells = [c.strip() for c in row.strip().strip("│┃").split("│")]
    assert cells[:3] == ["2025-02-28", "3", "3"] and cells[1 + "ABCDEFGHIJKLMN".index("N")] == "2"
    ws = load_workbook(path).active
    assert ws is not None and ws["A1"].value == "与党组织失去联系党员规范管理和组织处置有关情况统计表"
    assert ws["B7"].value == "A" and ws["B8"].value == 3 and ws["O7"].value == "N" and ws["O8"].value == 2


def test_registers_table_json_as_of_and_xlsx(reports: Story, tmp_path: Path) -> None:
    found = json.loads(
        run("registers", "contacted", "--unit", U["D"], "--as-of", "2025-02-28", "--json").output
    )
    assert found["title"] == "经查找取得联系党员登记表" and found["填表日期"] == "2025-02-28"
    assert {r["姓名"] for r in found["rows"]} == {"谢军", "黄海", "赵磊"}
    before = run(
        "registers", "contacted", "--unit", U["D"], "--as-of", "2025-02-28", "--basis", "recorded", "--json"
    )
    assert {r["姓名"] for r in json.loads(before.output)["rows"]} == {"谢军", "黄海"}
    lost = json.loads(
        run("registers", "uncontactable", "--unit", U["B1"], "--as-of", "2024-12-31", "--json").output
    )
    assert {r["姓名"] for r in lost["rows"]} == {"赵磊", "黄海"} and lost[
        "填报单位"
    ] == "B1"  # 黄海 until 2025-01-06
    path = tmp_path / "r.xlsx"
    table = run("registers", "uncontactable", "--unit", U["B1"], "--as-of", "2024-12-31", "--xlsx", str(path))
    assert (
        table.exit_code == 0 and "经查找仍然无法取得联系党员登记表" in table.output and "赵磊" in table.output
    )
    ws = load_workbook(path).active
    assert ws is not None and ws["A1"].value == "经查找仍然无法取得联系党员登记表"
    assert ws["A3"].value == "姓名" and {ws["A4"].value, ws["A5"].value} == {"赵磊", "黄海"}
    assert ws["A6"].value == "填表人："
    assert "kind must be one of" in one_line_failure(run("registers", "everyone"))


def test_lookback_table_json_basis_and_xlsx(reports: Story, tmp_path: Path) -> None:
    late = json.loads(run("lookback", "--unit", U["D"], "--as-of", "2025-12-31", "--json").output)
    assert late["by_code"] == {"late-entry": 1, "step-missing": 1}
    findings = {(m["name"], f["code"], f["step"]) for m in late["members"] for f in m["findings"]}
    assert findings == {("谢军", "step-missing", "P6.10"), ("赵磊", "late-entry", "P0.7a")}
    early = run("lookback", "--unit", U["D"], "--as-of", "2025-02-28", "--basis", "recorded", "--json")
    assert json.loads(early.output)["by_code"] == {"step-missing": 1}
    path = tmp_path / "回头看.xlsx"
    table = run("lookback", "--unit", U["D"], "--as-of", "2025-12-31", "--xlsx", str(path))
    assert table.exit_code == 0 and "step-missing:P6.10" in table.output
    assert table.output.strip().splitlines()[-1] == "late-entry=1 step-missing=1"
    ws = load_workbook(path).active
    assert ws is not None and ws["A1"].value == "回头看发现问题清单" and ws["F3"].value == "问题"
    rows = {(ws.cell(r, 1).value, ws.cell(r, 6).value, ws.cell(r, 5).value) for r in (4, 5)}
    assert rows == {("谢军", "缺少必经步骤", "P6.10"), ("赵磊", "逾期补记", "P0.7a")}


@pytest.mark.parametrize("command", [["statistics"], ["registers", "roster"], ["lookback"]])
def test_report_commands_refuse_a_bad_unit_date_or_basis_in_one_line(
    reports: Story, command: list[str]
) -> None:
    assert one_line_failure(run(*command, "--unit", "nope")).endswith("no unit nope")
    assert "2025-02-30" in one_line_failure(run(*command, "--as-of", "2025-02-30"))
    assert "2025-2-3" in one_line_failure(run(*command, "--as-of", "2025-2-3"))
    assert "basis must be occurred or recorded" in one_line_failure(run(*command, "--basis", "sometimes"))
