"""docs/procedures.md is rendered from the tables and must never drift from them."""

from __future__ import annotations

from pathlib import Path

from domain.docs import DOCS_PATH, main, render_procedures_markdown
from domain.procedures import PROCEDURES, steps_for
from domain.settings import DomainSettings


def test_committed_page_equals_a_fresh_render() -> None:
    assert DOCS_PATH.read_text(encoding="utf-8") == render_procedures_markdown(DomainSettings()), (
        "docs/procedures.md is stale: run `.venv/bin/python -m domain.docs`"
    )


def test_page_lists_every_procedure_and_every_step() -> None:
    page = render_procedures_markdown()
    for path, procedure in PROCEDURES.items():
        assert f"## {path} {procedure.name_zh}" in page
        for step in steps_for(path, DomainSettings()):
            assert f"| {step.id}" in page


def test_page_follows_the_settings() -> None:
    page = render_procedures_markdown(DomainSettings(p3_general_meeting_required=False))
    assert "| P3.2 " not in page
    assert "| P3.2 " in render_procedures_markdown()


def test_main_writes_the_page(tmp_path: Path) -> None:
    target = tmp_path / "procedures.md"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_procedures_markdown()
