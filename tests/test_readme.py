"""The README stays true: its first commands are the two of the guide, and its role × endpoint table is
the one generated from the authorisation rules (docs/authorization.md, itself tested against them)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def endpoints_table(text: str) -> str:
    """The markdown table under the '## Endpoints' heading."""
    section = text.split("## Endpoints", 1)[1]
    lines = [line for line in section.strip().splitlines()]
    table = []
    for line in lines:
        if not line.startswith("|"):
            if table:
                break
            continue
        table.append(line)
    return "\n".join(table)


def test_readme_role_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- authz:start -->\n(.*?)\n<!-- authz:end -->", readme, re.S)
    assert block is not None, "README lacks the role × endpoint table markers"
    generated = endpoints_table((ROOT / "docs" / "authorization.md").read_text(encoding="utf-8"))
    assert block.group(1).strip() == generated.strip()


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert [c for c in commands if c] == ["make run", "make test"]
