"""The member list and the overdue items of a unit's subtree, composed from the status projection.

``projections.status_read.list_status`` filters by unit subtree, state, cause and overdue and pages in
SQL; the name filter (姓名包含) is not one of its filters, so with a name the matching rows are read whole
and filtered and paged here. Overdue items are the overdue deadlines of the members with any, flattened
and ordered most overdue first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.system import LedgerSystem
from projections.status_read import StatusFilter, list_status


@dataclass(frozen=True)
class MemberQuery:
    """The filters of ``GET /members`` and ``ledger members``."""

    unit: str | None = None
    state: str | None = None
    cause: int | None = None
    overdue: bool | None = None
    name: str | None = None

    def status_filter(self) -> StatusFilter:
        """The filters the status projection applies itself."""
        return StatusFilter(unit=self.unit, state=self.state, cause=self.cause, overdue=self.overdue)


def _every_row(system: LedgerSystem, where: StatusFilter, today: date) -> list[dict[str, Any]]:
    total = list_status(system, where, today=today, page=1, per_page=1)["total"]
    if not total:
        return []
    return list(list_status(system, where, today=today, page=1, per_page=total)["members"])


def _page(rows: list[Any], page: int, per_page: int) -> list[Any]:
    start = (page - 1) * per_page
    return rows[start : start + per_page]


def search_members(
    system: LedgerSystem, query: MemberQuery, *, today: date, page: int = 1, per_page: int = 50
) -> dict[str, Any]:
    """One page of members matching every filter (ordered by branch, name, id), with the total."""
    where = query.status_filter()
    if not query.name:
        found = list_status(system, where, today=today, page=page, per_page=per_page)
        return {**found, "unit": query.unit}
    needle = query.name.casefold()
    rows = [row for row in _every_row(system, where, today) if needle in row["name"].casefold()]
    return {
        "unit": query.unit,
        "page": page,
        "per_page": per_page,
        "total": len(rows),
        "today": today.isoformat(),
        "members": _page(rows, page, per_page),
    }


def overdue_items(
    system: LedgerSystem, unit: str | None, *, today: date, page: int = 1, per_page: int = 100
) -> dict[str, Any]:
    """Every overdue deadline of the members of ``unit``'s subtree (None: every unit), most overdue first."""
    items = [
        {
            "member_id": row["member_id"],
            "name": row["name"],
            "home": row["home"],
            "state": row["state"],
            "state_label": row["state_label"],
            "code": deadline["code"],
            "label": deadline["label"],
            "start": deadline["start"],
            "due": deadline["due"],
            "days_overdue": (today - date.fromisoformat(deadline["due"])).days,
        }
        for row in _every_row(system, StatusFilter(unit=unit, overdue=True), today)
        for deadline in row["deadlines"]
        if deadline["overdue"]
    ]
    items.sort(key=lambda item: (item["due"], item["name"], item["member_id"], item["code"]))
    return {
        "unit": unit,
        "page": page,
        "per_page": per_page,
        "total": len(items),
        "today": today.isoformat(),
        "items": _page(items, page, per_page),
    }
