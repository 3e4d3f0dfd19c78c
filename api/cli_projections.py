"""The projection commands (读模型命令), a typer sub-app the main ``ledger`` CLI mounts.

``rebuild [NAME]`` drops and rebuilds one projection (or all) with a rich progress bar; ``status`` lists
members (filters: unit subtree, state, cause, overdue; pages) or shows one member as of a date;
``dossier MEMBER`` prints the 全程纪实表. Reads bring the projections up to date first. ``--json`` prints
the JSON document; otherwise a table. Errors are one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from api.cli_support import CommandFailed, console, errors, one_line_errors, opened
from projections.dossier_read import dossier as read_dossier
from projections.exports import lookback_workbook, register_workbook, statistics_workbook
from projections.reads import MEMBERS_PAGE, read_lookback, read_register, read_statistics
from projections.registry import PROJECTIONS, catch_up_all, open_projections
from projections.status_read import StatusFilter, list_status, member_status

app = typer.Typer(help="读模型: status, dossier (全程纪实表); rebuild.", no_args_is_help=True)
P = ParamSpec("P")
R = TypeVar("R")


def one_line(command: Callable[P, R]) -> Callable[P, R]:
    """Like ``one_line_errors``, and an unknown projection name or a bad date is one line too."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (KeyError, ValueError) as failure:
            text = failure.args[0] if isinstance(failure, KeyError) and failure.args else failure
            raise CommandFailed(str(text)) from None

    return one_line_errors(wrapper)


@app.command()
@one_line
def rebuild(
    name: Annotated[str | None, typer.Argument(help=f"one of: {', '.join(PROJECTIONS)}")] = None,
) -> None:
    """Drop and rebuild a projection (all of them without NAME) from the whole log."""
    with opened() as system:
        for projection in open_projections(system, None if name is None else [name]):
            with Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=errors,
            ) as bar:  # fmt: skip
                task = bar.add_task(projection.name, total=system.ledger.max_notification_id() or None)
                report = projection.rebuild(functools.partial(_advance, bar, task))
            console.print(
                f"{report.name}: {report.statements} statements in {report.seconds:.2f} s", highlight=False
            )


@app.command()
@one_line
def status(
    member: Annotated[str | None, typer.Argument(help="one member's stream id")] = None,
    unit: Annotated[str | None, typer.Option(help="unit id: members of its subtree")] = None,
    state: Annotated[str | None, typer.Option(help="state code, e.g. LOST_SEARCHING")] = None,
    cause: Annotated[int | None, typer.Option(help="失联原因 code 1..7")] = None,
    overdue: Annotated[
        bool | None, typer.Option("--overdue/--not-overdue", help="with overdue items")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (one member only)")] = None,
    basis: Annotated[str, typer.Option(help="occurred | recorded")] = "occurred",
    page: int = 1,
    per_page: int = 50,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Members' state, open case, next steps and deadlines."""
    with opened() as system:
        catch_up_all(system)
        if member is not None:
            at = date.fromisoformat(as_of) if as_of else None
            one = member_status(system, member, at=at, basis=_basis(basis))
            _show({"members": [one]} if not as_json else one, as_json)
            return
        where = StatusFilter(unit=unit, state=state, cause=cause, overdue=overdue)
        _show(list_status(system, where, page=page, per_page=per_page), as_json)


@app.command()
@one_line
def dossier(
    member: Annotated[str, typer.Argument(help="the member's stream id")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD")] = None,
    basis: Annotated[str, typer.Option(help="occurred | recorded")] = "occurred",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """One member's 失联党员查找处置全程纪实表 (附件4) with each entry's verification."""
    with opened() as system:
        catch_up_all(system)
        page = read_dossier(
            system, member, at=date.fromisoformat(as_of) if as_of else None, basis=_basis(basis)
        )
    if as_json:
        console.print_json(json.dumps(page, ensure_ascii=False))
        return
    console.print(f"[bold]{page['title']}[/bold]  {page['basic'].get('name') or ''}")
    for box in page["boxes"]:
        if box["entries"]:
            console.print(f"[bold]{box['label']}[/bold]")
            for entry in box["entries"]:
                check = entry["verification"] or {}
                marks = " ".join(f"{k}:{v}" for k, v in check.items())
                console.print(
                    f"  {entry['occurred_at']}  {entry['type']}  {entry['signer']['name']}  {marks}",
                    highlight=False,
                )


def _advance(bar: Progress, task: Any, done: int, total: int) -> None:
    bar.update(task, completed=done, total=total)


def _basis(text: str) -> Literal["occurred", "recorded"]:
    if text not in ("occurred", "recorded"):
        raise ValueError(f"basis must be occurred or recorded, not {text!r}")
    return "occurred" if text == "occurred" else "recorded"


def _show(document: dict[str, Any], as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps(document, ensure_ascii=False))
        return
    table = Table("成员", "所在支部", "状态", "处置程序", "期限", "逾期")
    for row in document["members"]:
        due = ", ".join(f"{d['label']} {d['due']}" for d in row["deadlines"])
        table.add_row(row["name"], row["home"]["name"], row["state_label"], row["active_path"] or "", due,
                      "是" if row["overdue"] else "")  # fmt: skip
    console.print(table)
    if "total" in document:
        console.print(f"{document['total']} members, page {document['page']}", highlight=False)


KINDS = {"roster": "roster", "contacted": "contacted", "uncontactable": "uncontactable"}
UnitOpt = Annotated[str | None, typer.Option(help="unit id: rolled up over its subtree (default: all)")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: today)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help="write the official layout to FILE")]


def _at(text: str | None) -> date | None:
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"--as-of must be a date YYYY-MM-DD, not {text!r}")


@app.command()
@one_line
def registers(
    kind: Annotated[str, typer.Argument(help="roster (失联党员名册) | contacted | uncontactable")],
    unit: UnitOpt = None, as_of: AsOfOpt = None, basis: str = "occurred",
    campaign: Annotated[str | None, typer.Option(help="campaign id: its review_start / review_end")] = None,
    as_json: JsonOpt = False, xlsx: XlsxOpt = None,
) -> None:  # fmt: skip
    """失联党员名册, 经查找取得联系党员登记表, 经查找仍然无法取得联系党员登记表."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    with opened() as system:
        doc = read_register(system, KINDS[kind], unit, at=_at(as_of), basis=_basis(basis), campaign=campaign)  # type: ignore[arg-type]
    if xlsx is not None:
        register_workbook(doc, xlsx)
    if as_json:
        console.print_json(json.dumps(doc, ensure_ascii=False))
        return
    table = Table(*doc["columns"], title=f"{doc['title']}  {doc['填报单位']}  {doc['填表日期']}")
    for row in doc["rows"]:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in doc["columns"]))
    console.print(table)


@app.command()
@one_line
def statistics(
    unit: UnitOpt = None, as_of: AsOfOpt = None, basis: str = "occurred",
    campaign: Annotated[str | None, typer.Option(help="campaign id: its cohort only")] = None,
    as_json: JsonOpt = False, xlsx: XlsxOpt = None,
    members_offset: Annotated[int, typer.Option(min=0, help="--json: the first cohort member listed")] = 0,
    members_limit: Annotated[
        int, typer.Option(min=0, help="--json: how many cohort members to list")
    ] = MEMBERS_PAGE,
    all_members: Annotated[bool, typer.Option("--all-members", help="--json: list every cohort member")] = False,
) -> None:  # fmt: skip
    """附件5 统计表 (A–X) rolled up over the unit's subtree, with its identities checked.

    The counts cover the whole cohort; the JSON lists a page of its members (``members_total`` in all).
    """
    with opened() as system:
        doc = read_statistics(
            system, unit, at=_at(as_of), basis=_basis(basis), campaign=campaign, members_offset=members_offset,
            members_limit=None if all_members else members_limit,
        )  # fmt: skip
    if xlsx is not None:
        statistics_workbook(doc, xlsx)
    if as_json:
        console.print_json(json.dumps(doc, ensure_ascii=False))
        return
    table = Table("统计时间", *doc["counts"], title=doc["title"])
    table.add_row(doc["统计时间"], *(str(v) for v in doc["counts"].values()))
    console.print(table)
    for v in doc["violations"]:
        errors.print(f"violation: {v}", markup=False, highlight=False)


@app.command()
@one_line
def lookback(
    unit: UnitOpt = None, as_of: AsOfOpt = None, basis: str = "occurred", as_json: JsonOpt = False,
    xlsx: XlsxOpt = None,
) -> None:  # fmt: skip
    """回头看: every disposed case checked against its procedure; findings per member and per unit."""
    with opened() as system:
        doc = read_lookback(system, unit, at=_at(as_of), basis=_basis(basis))
    if xlsx is not None:
        lookback_workbook(doc, xlsx)
    if as_json:
        console.print_json(json.dumps(doc, ensure_ascii=False))
        return
    table = Table("成员", "处置", "发现")
    for m in doc["members"]:
        cases = ", ".join(f"{c['path']} {c['effect_on']}" for c in m["disposed"])
        table.add_row(m["name"], cases, ", ".join(f"{f['code']}:{f['step'] or ''}" for f in m["findings"]))
    console.print(table)
    console.print(" ".join(f"{k}={v}" for k, v in doc["by_code"].items()) or "no findings", highlight=False)
