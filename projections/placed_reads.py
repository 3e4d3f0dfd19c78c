"""SQL reads of the 附件5 over the placements tables (projections.placements): counts, checks, a page.

At province scale the root cohort holds about 10⁵ members, too many to list for every read of the table.
The counts A–X come from one aggregate query over the spans covering T in the unit's subtree (joined on
the unit closure), grouped by the set of marked columns, the leaf and the leaves the marks give: a handful
of groups, whose letters are summed here. The members are read a page at a time, ordered by home at T,
name, id in code-point order; the members whose marks disagree with their leaf (a ``leaf`` violation,
normally none) are read only when a group says there are some.

The placements module owns the tables and their layout; this module only queries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.system import LedgerSystem
from projections.placements import PLACED, spans_covering


@dataclass(frozen=True)
class Tally:
    """What the aggregate query gives: each column's count, the cohort's size, whether any leaf disagrees."""

    counts: dict[str, int]
    total: int
    mismatched: int
    """How many members' marks give other leaves than their leaf (``leaf`` violations)."""


def _order(system: LedgerSystem) -> str:
    collate = ' COLLATE "C"' if system.log.postgres else ""
    return f" ORDER BY s.home{collate}, s.name{collate}, s.member_id{collate}"


def tally(system: LedgerSystem, unit: str | None, at: date) -> Tally:
    """The column counts of the subtree's cohort as of ``at``: one ``GROUP BY`` over the covering spans."""
    where, params = spans_covering(unit, at)
    query = f"SELECT s.marks AS marks, s.leaf <> s.marked AS off, COUNT(*) AS n{where} GROUP BY s.marks, off"
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql(query), params)
        groups = [(str(row["marks"]), bool(row["off"]), int(row["n"])) for row in cursor.fetchall()]
    counts: dict[str, int] = {}
    for marks, _, n in groups:
        for letter in marks:
            counts[letter] = counts.get(letter, 0) + n
    total = sum(n for _, _, n in groups)
    return Tally(counts, total, sum(n for _, off, n in groups if off))


def page(
    system: LedgerSystem, unit: str | None, at: date, offset: int, limit: int | None
) -> list[Mapping[str, Any]]:
    """The cohort members ``[offset, offset + limit)`` of the subtree as of ``at`` (``limit`` None: all on)."""
    if limit is not None and limit <= 0:
        return []
    where, params = spans_covering(unit, at)
    columns = ", ".join(f"s.{c}" for c in PLACED)
    everything = "ALL" if system.log.postgres else "-1"
    bound = f" LIMIT {everything if limit is None else '?'} OFFSET ?"
    values = [*params, *([] if limit is None else [limit]), offset]
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql(f"SELECT {columns}{where}{_order(system)}{bound}"), values)
        return list(cursor.fetchall())


def mismatched(system: LedgerSystem, unit: str | None, at: date) -> list[Mapping[str, Any]]:
    """The cohort members whose marks give other leaves than their leaf, in the listing's order."""
    where, params = spans_covering(unit, at)
    columns = ", ".join(f"s.{c}" for c in PLACED)
    with system.log.reading() as cursor:
        cursor.execute(
            system.log.sql(f"SELECT {columns}{where} AND s.leaf <> s.marked{_order(system)}"), params
        )
        return list(cursor.fetchall())
