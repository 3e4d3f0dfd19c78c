"""``ledger members``: the member list (党员查询) as a rich table or as JSON, with the filters of ``status``.

It reads the ledger named by the environment directly (like ``ledger status``), bringing the projections
up to date first. ``--json`` prints a list of objects: ``id``, ``name``, ``unit`` (the branch id),
``unit_name``, ``state``, ``state_label``, ``cause``, ``active_path``, ``overdue``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli_support import console, one_line_errors, opened
from api.member_reads import MemberQuery, search_members
from projections.registry import catch_up_all

commands = typer.Typer()


def member_rows(page: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``--json`` objects of a page of the member list."""
    return [
        {
            "id": row["member_id"],
            "name": row["name"],
            "unit": row["home"]["id"],
            "unit_name": row["home"]["name"],
            "state": row["state"],
            "state_label": row["state_label"],
            "cause": row["cause"],
            "active_path": row["active_path"],
            "overdue": row["overdue"],
        }
        for row in page["members"]
    ]


@commands.command()
@one_line_errors
def members(
    unit: Annotated[str | None, typer.Option(help="unit id: members of its subtree (default: all)")] = None,
    state: Annotated[str | None, typer.Option(help="state code, e.g. LOST_SEARCHING")] = None,
    cause: Annotated[int | None, typer.Option(help="失联原因 code 1..7")] = None,
    overdue: Annotated[
        bool | None, typer.Option("--overdue/--not-overdue", help="with (or without) overdue items")
    ] = None,
    name: Annotated[str | None, typer.Option(help="name contains")] = None,
    page: Annotated[int, typer.Option(min=1, help="page number")] = 1,
    per_page: Annotated[int, typer.Option(min=1, help="members per page")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON list of members")] = False,
) -> None:
    """List members (党员查询) with their branch and state.

    Example: ledger members --state LOST_SEARCHING --overdue --json
    """
    query = MemberQuery(unit=unit, state=state, cause=cause, overdue=overdue, name=name)
    with opened() as system:
        catch_up_all(system)
        found = search_members(system, query, today=date.today(), page=page, per_page=per_page)
    rows = member_rows(found)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table("成员", "所在支部", "状态", "失联原因", "处置程序", "逾期", "id")
    for row in rows:
        table.add_row(
            row["name"], row["unit_name"], row["state_label"], str(row["cause"] or ""),
            row["active_path"] or "", "是" if row["overdue"] else "", row["id"],
        )  # fmt: skip
    console.print(table)
    shown = f"{len(rows)} of {found['total']} members"
    console.print(shown if found["total"] <= per_page else f"{shown}, page {page}", highlight=False)
