"""The status projection (党员状态): per member, state, open case, active procedure, next steps, deadlines.

Tables: ``proj_status`` (one row per member stream: name, home unit, member type, state and its Chinese
label, 失联原因 code, case number and whether it is open, the active path, the next steps as JSON) and
``proj_status_items`` (the §6 deadline items of each member: code, start, due). Reads are in
projections.status_read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.member import MemberFile
from domain.registry import RegistryWorld
from ledger.logstore import Cursor
from ledger.system import LedgerSystem
from projections.base import Projection, Recorded
from projections.deadlines import Item, deadline_items
from projections.files import MemberFiles, is_member_statement
from projections.nextsteps import next_steps


@dataclass(frozen=True)
class StatusRow:
    """One member's row of the status table, as computed from the member file."""

    member_id: str
    name: str
    home: str
    member_type: str
    state: str
    state_label: str
    cause: int | None
    case_no: int
    case_open: bool
    active_path: str | None
    last_seq: int
    last_recorded_at: str
    next_steps: list[dict[str, Any]]
    items: list[Item]

    def values(self) -> list[Any]:
        """The column values in table order."""
        steps = json.dumps(self.next_steps, ensure_ascii=False, sort_keys=True)
        return [
            self.member_id, self.name, self.home, self.member_type, self.state, self.state_label,
            self.cause, self.case_no, int(self.case_open), self.active_path, self.last_seq,
            self.last_recorded_at, steps,
        ]  # fmt: skip


COLUMNS = (
    "member_id, name, home, member_type, state, state_label, cause, case_no, case_open, active_path,"
    " last_seq, last_recorded_at, next_steps"
)


def member_name(file: MemberFile) -> str:
    """The name on the member's 党员基本情况登记 (MemberRegistered), as corrected."""
    registered = next((e for e in file.entries if e.type == "MemberRegistered"), None)
    return str(registered.body.get("name", "")) if registered is not None else ""


def lost_cause(file: MemberFile) -> int | None:
    """The 失联原因 code (forms §2.1, 1..7) of the latest 认定失联 in scope, if any."""
    confirmed = file.of_type("LostContactConfirmed")
    cause = confirmed[-1].body.get("cause") if confirmed else None
    return int(cause) if isinstance(cause, int) else None


def status_row(
    member_id: str, file: MemberFile, world: RegistryWorld, system: LedgerSystem, recorded_at: str
) -> StatusRow | None:
    """The status row of a member file (None for a stream without a registration)."""
    if file.state is None:
        return None
    settings = system.settings.domain
    t = file.entries[-1].occurred_at if file.entries else date.min
    active = file.active_instances()
    return StatusRow(
        member_id=member_id,
        name=member_name(file),
        home=file.home(date.max),
        member_type=file.member_type_at(date.max),
        state=file.state.value,
        state_label=file.state.label,
        cause=lost_cause(file),
        case_no=file.case_no,
        case_open=file.case_open,
        active_path=active[-1].path if active else None,
        last_seq=len(file.log),
        last_recorded_at=recorded_at,
        next_steps=next_steps(file, world, settings, t),
        items=deadline_items(file, settings),
    )


class StatusProjection(Projection):
    """状态 — the status read model (see the module docstring)."""

    name = "status"
    title = "党员状态"
    tables = ("proj_status", "proj_status_items")

    def __init__(self, system: LedgerSystem, *, batch_size: int = 500) -> None:
        self.files = MemberFiles(system.ledger)
        super().__init__(system, batch_size=batch_size)

    def ddl(self) -> list[str]:
        """The two tables and their indexes."""
        return [
            "CREATE TABLE IF NOT EXISTS {t}proj_status (member_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " home TEXT NOT NULL, member_type TEXT NOT NULL, state TEXT NOT NULL, state_label TEXT NOT NULL,"
            " cause INTEGER, case_no INTEGER NOT NULL, case_open INTEGER NOT NULL, active_path TEXT,"
            " last_seq INTEGER NOT NULL, last_recorded_at TEXT NOT NULL, next_steps TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS proj_status_listing ON {t}proj_status (home, name, member_id)",
            "CREATE INDEX IF NOT EXISTS proj_status_state ON {t}proj_status (state)",
            "CREATE TABLE IF NOT EXISTS {t}proj_status_items (member_id TEXT NOT NULL, n INTEGER NOT NULL,"
            " code TEXT NOT NULL, start_on TEXT NOT NULL, due_on TEXT NOT NULL, PRIMARY KEY (member_id, n))",
            "CREATE INDEX IF NOT EXISTS proj_status_items_due ON {t}proj_status_items (due_on)",
        ]

    def forget(self) -> None:
        """Drop the cached member files."""
        self.files.clear()

    def prepare(self, batch: Sequence[Recorded]) -> list[StatusRow]:
        """The final row of every member touched by the batch."""
        ledger = self.system.ledger
        if ledger.registry_version != self.log.registry_version():
            ledger.reload_registry()
        latest: dict[str, tuple[MemberFile, str]] = {}
        for item in batch:
            if is_member_statement(item):
                latest[item.stream] = (self.files.after(item), item.recorded_at)
        rows = []
        for stream, (file, recorded_at) in latest.items():
            row = status_row(stream, file, ledger.registry, self.system, recorded_at)
            if row is not None:
                rows.append(row)
        return rows

    def write(self, cursor: Cursor, prepared: list[StatusRow]) -> None:
        """Replace each touched member's row and items."""
        sql = self.log.sql
        ids = [[row.member_id] for row in prepared]
        cursor.executemany(sql("DELETE FROM {t}proj_status WHERE member_id = ?"), ids)
        cursor.executemany(sql("DELETE FROM {t}proj_status_items WHERE member_id = ?"), ids)
        marks = ",".join("?" for _ in range(13))
        cursor.executemany(
            sql(f"INSERT INTO {{t}}proj_status ({COLUMNS}) VALUES ({marks})"),
            [row.values() for row in prepared],
        )
        items = [
            [row.member_id, n, item.code, item.start.isoformat(), item.due.isoformat()]
            for row in prepared
            for n, item in enumerate(row.items)
        ]
        if items:
            cursor.executemany(
                sql(
                    "INSERT INTO {t}proj_status_items (member_id, n, code, start_on, due_on) VALUES (?,?,?,?,?)"
                ),
                items,
            )
