"""Reads of the status projection: a filtered, paginated list, and one member now or as of a date.

Filters: unit subtree (the home branch lies under the unit, via the registry's unit tree), state, 失联原因
code, overdue (an item whose due date is before ``today``). The list reads the projection's tables; one
member as of a past date is folded from the member's stream (``domain.asof``) on the chosen basis.

A page does not grow with the ledger: the members matching a filter are counted per home branch (one
grouped query, kept per open ledger until the status projection moves on), and the page itself is read
from the few branches it falls in, so the database sorts a branch's members, not the province's.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.asof import Basis, as_of, recorded_date
from domain.engine import evolve, findings
from domain.member import MemberFile
from domain.registry import RegistryWorld
from ledger.errors import NotFound
from ledger.system import LedgerSystem
from projections.deadlines import LABELS
from projections.status import COLUMNS, StatusProjection, status_row

HOME_COUNTS = "status-read:home-counts"
"""Where an open ledger keeps the per-branch counts of recent filters (``LedgerSystem.read_models``)."""
HOME_COUNTS_KEPT = 64
"""How many filters' per-branch counts are kept (the least recently used go first)."""


@dataclass(frozen=True)
class StatusFilter:
    """What the list keeps: members under ``unit``, in ``state``, with 失联原因 ``cause``, ``overdue``."""

    unit: str | None = None
    state: str | None = None
    cause: int | None = None
    overdue: bool | None = None


def registry_of(system: LedgerSystem) -> RegistryWorld:
    """The ledger's current registry of units and actors (reloaded when it moved)."""
    ledger = system.ledger
    if ledger.registry_version != system.log.registry_version():
        ledger.reload_registry()
    return ledger.registry


def subtree(registry: RegistryWorld, unit: str) -> list[str]:
    """The unit and every unit below it."""
    tree = registry.tree(date.max)
    if unit not in tree:
        raise NotFound(f"no unit {unit}")
    return [u for u in tree.units if u == unit or unit in tree.ancestors(u)]


def list_status(
    system: LedgerSystem,
    where: StatusFilter | None = None,
    *,
    today: date | None = None,
    page: int = 1,
    per_page: int = 50,
) -> dict[str, Any]:
    """One page of member rows (ordered by home unit, name, id) with the total count."""
    where = where or StatusFilter()
    today = today or date.today()
    registry = registry_of(system)
    clauses: list[str] = []
    params: list[Any] = []
    if where.unit is not None:
        units = subtree(registry, where.unit)
        clauses.append(f"s.home IN ({','.join('?' for _ in units)})")
        params.extend(units)
    if where.state is not None:
        clauses.append("s.state = ?")
        params.append(where.state)
    if where.cause is not None:
        clauses.append("s.cause = ?")
        params.append(where.cause)
    if where.overdue is not None:
        exists = (
            "EXISTS (SELECT 1 FROM {t}proj_status_items i WHERE i.member_id = s.member_id AND i.due_on < ?)"
        )
        clauses.append(exists if where.overdue else f"NOT {exists}")
        params.append(today.isoformat())
    condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = system.log.sql
    offset = (max(page, 1) - 1) * per_page
    homes = home_counts(system, condition, params)
    total = sum(n for _, n in homes)
    chosen, skipped = _homes_of_page(homes, offset, per_page)
    with system.log.reading() as cursor:
        rows: list[dict[str, Any]] = []
        if chosen:
            within = f"s.home IN ({','.join('?' for _ in chosen)})"
            narrowed = f"{condition} AND {within}" if condition else f" WHERE {within}"
            columns = ", ".join(f"s.{c.strip()}" for c in COLUMNS.split(","))
            cursor.execute(
                sql(
                    f"SELECT {columns} FROM {{t}}proj_status s{narrowed}"
                    " ORDER BY s.home, s.name, s.member_id LIMIT ? OFFSET ?"
                ),
                [*params, *chosen, per_page, offset - skipped],
            )
            rows = [dict(row) for row in cursor.fetchall()]
        members = [row["member_id"] for row in rows]
        items: dict[str, list[tuple[str, str, str]]] = {m: [] for m in members}
        if members:
            cursor.execute(
                sql(
                    "SELECT member_id, code, start_on, due_on FROM {t}proj_status_items"
                    f" WHERE member_id IN ({','.join('?' for _ in members)}) ORDER BY member_id, n"
                ),
                members,
            )
            for item in cursor.fetchall():
                items[item["member_id"]].append((item["code"], item["start_on"], item["due_on"]))
    rendered = [_render(row, items[row["member_id"]], registry, today) for row in rows]
    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "today": today.isoformat(),
        "members": rendered,
    }


def home_counts(system: LedgerSystem, condition: str, params: list[Any]) -> list[tuple[str, int]]:
    """(home, how many members match) for each home branch with a match, in the list's home order.

    Kept per open ledger by filter and by the status projection's position: the table changes only
    when the projection applies statements, and then its position moves on (a rebuild ends where it began).
    """
    position = projection_position(system)
    key = (position, condition, tuple(params))
    with system.read_models_lock:
        kept: OrderedDict[Any, list[tuple[str, int]]] = system.read_models.setdefault(
            HOME_COUNTS, OrderedDict()
        )
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found
    query = f"SELECT s.home AS home, COUNT(*) AS n FROM {{t}}proj_status s{condition} GROUP BY s.home ORDER BY s.home"
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql(query), params)
        counted = [(str(row["home"]), int(row["n"])) for row in cursor.fetchall()]
    with system.read_models_lock:
        kept[key] = counted
        while len(kept) > HOME_COUNTS_KEPT:
            kept.popitem(last=False)
    return counted


def projection_position(system: LedgerSystem) -> int:
    """How far the status projection has read the log (its tracking record; 0 before the first batch)."""
    return system.log.tracking.max_tracking_id(f"projection:{StatusProjection.name}") or 0


def _homes_of_page(homes: list[tuple[str, int]], offset: int, size: int) -> tuple[list[str], int]:
    """The home branches the rows ``[offset, offset + size)`` fall in, and how many rows come before them."""
    chosen: list[str] = []
    before = seen = 0
    for home, n in homes:
        if seen >= offset + size:
            break
        if seen + n <= offset:
            seen = before = seen + n
            continue
        chosen.append(home)
        seen += n
    return chosen, before


def member_status(
    system: LedgerSystem,
    member_id: str,
    *,
    at: date | None = None,
    basis: Basis = "occurred",
    today: date | None = None,
) -> dict[str, Any]:
    """One member's status: from the table now, or folded from the stream as of ``at`` on ``basis``."""
    registry = registry_of(system)
    if at is None:
        page = _one_from_table(system, member_id, today or date.today(), registry)
        if page is None:
            raise NotFound(f"no member {member_id} in the status projection")
        return page
    file = fold_member(system, member_id)
    past = as_of(file, at, basis, system.settings.domain.ledger_timezone)
    recorded = past.log[-1][2] if past.log else ""
    row = status_row(member_id, past, registry, system, recorded)
    if row is None:
        raise NotFound(f"member {member_id} was not registered as of {at} ({basis})")
    values = dict(zip([c.strip() for c in COLUMNS.split(",")], row.values(), strict=True))
    items = [(i.code, i.start.isoformat(), i.due.isoformat()) for i in row.items]
    rendered = _render(values, items, registry, today or at)
    return {**rendered, "as_of": at.isoformat(), "basis": basis}


def fold_member(system: LedgerSystem, member_id: str) -> MemberFile:
    """The member file folded from the whole stream as stored."""
    try:
        uuid.UUID(member_id)
    except ValueError:
        raise NotFound(f"{member_id!r} is not a stream id") from None
    file = MemberFile()
    registry, settings = registry_of(system), system.settings.domain
    for record in system.ledger.read_stream(member_id):
        # the 补录 findings (§5.4) are not stored with the statement: judge the paper record again
        on = recorded_date(record.recorded_at, settings.ledger_timezone) or date.min
        found = findings(file, record.statement, registry, settings, on)
        file = evolve(file, record.statement, record.hash, record.recorded_at, found)
    return file


def _one_from_table(
    system: LedgerSystem, member_id: str, today: date, registry: RegistryWorld
) -> dict[str, Any] | None:
    sql = system.log.sql
    with system.log.reading() as cursor:
        cursor.execute(sql(f"SELECT {COLUMNS} FROM {{t}}proj_status WHERE member_id = ?"), [member_id])
        row = cursor.fetchone()
        if row is None:
            return None
        values = dict(row)
        cursor.execute(
            sql("SELECT code, start_on, due_on FROM {t}proj_status_items WHERE member_id = ? ORDER BY n"),
            [member_id],
        )
        items = [(i["code"], i["start_on"], i["due_on"]) for i in cursor.fetchall()]
    return _render(values, items, registry, today)


def _render(
    row: dict[str, Any], items: list[tuple[str, str, str]], registry: RegistryWorld, today: date
) -> dict[str, Any]:
    home = registry.unit(row["home"])
    steps = row["next_steps"]
    return {
        "member_id": row["member_id"],
        "name": row["name"],
        "home": {"id": row["home"], "name": home.name if home is not None else ""},
        "member_type": row["member_type"],
        "state": row["state"],
        "state_label": row["state_label"],
        "cause": row["cause"],
        "case_no": int(row["case_no"]),
        "case_open": bool(row["case_open"]),
        "active_path": row["active_path"],
        "next_steps": json.loads(steps) if isinstance(steps, str) else steps,
        "deadlines": [
            {
                "code": code,
                "label": LABELS[code],
                "start": start,
                "due": due,
                "overdue": today.isoformat() > due,
            }
            for code, start, due in items
        ],
        "overdue": any(today.isoformat() > due for _, _, due in items),
        "last_recorded_at": row["last_recorded_at"],
    }
