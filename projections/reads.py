"""Reads of the registers, the 附件5 table and 回头看 for a unit subtree, as of any date, on either basis.

A read brings the status projection up to date (its member list), then folds the members of the subtree
as of T (projections.scope) and computes the document; the 附件5 table on the occurred basis (no campaign,
default options) is read from the placements projection instead (its counts summed in SQL,
projections.placed_reads), and the registers fold only the members that projection names as the cohort.
The projection objects are the open ledger's own (projections.registry), brought up to date only when the
log has grown.

The 附件5 document lists its cohort members a page at a time (``members_offset``, ``members_limit``, and
``members_total``): a province's cohort is too large to list on every read; ``members_limit=None`` lists
them all. The counts and the checks always cover the whole cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.asof import Basis
from ledger.errors import NotFound
from ledger.system import LedgerSystem
from projections.base import Projection
from projections.cohort import cohort_facts
from projections.lookback import disposed, member_findings
from projections.placed_reads import mismatched, page, tally
from projections.placements import PlacementsProjection
from projections.registers import Kind, register
from projections.registry import fresh
from projections.scope import Scope, ScopedMember, campaign_of, members_in, unit_name
from projections.statistics import (
    HEADERS,
    NOTE,
    TITLE,
    StatisticsOptions,
    StatisticsTable,
    stored_table,
    tabulate,
)
from projections.status import StatusProjection
from projections.status_read import registry_of


def _scope(
    system: LedgerSystem, unit: str | None, at: date | None, basis: Basis, campaign: str | None
) -> Scope:
    fresh(system, StatusProjection)
    return Scope(unit, at or date.today(), basis, campaign_of(system, campaign))


def caught_up(projection: Projection) -> None:
    """Apply what the projection has not seen yet; one cheap query when there is nothing new."""
    projection.refresh()


MEMBERS_PAGE = 500
"""How many cohort members a 附件5 document lists unless asked otherwise: its first page."""


@dataclass(frozen=True)
class MembersPage:
    """Which cohort members a 附件5 document lists: ``limit`` of them from ``offset`` (``limit`` None: all)."""

    offset: int = 0
    limit: int | None = MEMBERS_PAGE

    def __post_init__(self) -> None:
        if self.offset < 0 or (self.limit is not None and self.limit < 0):
            raise ValueError(
                f"members_offset and members_limit must not be negative ({self.offset}, {self.limit})"
            )

    def cut(self, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """This page of the whole, ordered list."""
        return (
            members[self.offset :] if self.limit is None else members[self.offset : self.offset + self.limit]
        )


ALL_MEMBERS = MembersPage(0, None)
"""Every cohort member listed (the callers that need them all, e.g. the access log of an export)."""


def read_register(
    system: LedgerSystem, kind: Kind, unit: str | None = None, *, at: date | None = None,
    basis: Basis = "occurred", campaign: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One register (名册, 取得联系, 仍然无法) of the unit's subtree as of ``at``.

    Every register lists cohort members only, so on the occurred basis the placements projection names
    them and only they are folded (projections.scope ``cohort_only``).
    """
    scope = _scope(system, unit, at, basis, campaign)
    if basis == "occurred":
        fresh(system, PlacementsProjection)
    members = members_in(system, scope, cohort_only=True)
    return register(kind, members, scope, system.settings.domain, unit_name(system, unit))


def answered_by_placements(basis: Basis, campaign: str | None, options: StatisticsOptions | None) -> bool:
    """Whether the placements projection answers this 附件5 read (occurred basis, no campaign, defaults)."""
    return basis == "occurred" and campaign is None and (options is None or options == StatisticsOptions())


def read_statistics(
    system: LedgerSystem, unit: str | None = None, *, at: date | None = None, basis: Basis = "occurred",
    campaign: str | None = None, options: StatisticsOptions | None = None, members_offset: int = 0,
    members_limit: int | None = MEMBERS_PAGE,
) -> dict[str, Any]:  # fmt: skip
    """The 附件5 table of the unit's subtree as of 统计时间 ``at``, with its checks and a page of placements.

    On the occurred basis, without a campaign and with the default options, the table is read from the
    placements projection (``stored_statistics``: counts summed in SQL, one page of members read); any
    other read (recorded basis, a campaign's cohort, other options) folds every member of the subtree as
    of T (``folded_statistics``). Both give the same document, members ordered by home at T, name, id,
    ``members_limit`` of them from ``members_offset`` (None: all), and ``members_total`` in all.
    """
    members = MembersPage(members_offset, members_limit)
    if answered_by_placements(basis, campaign, options):
        fresh(system, PlacementsProjection)
        return stored_statistics(system, Scope(unit, at or date.today(), basis), members)
    scope = _scope(system, unit, at, basis, campaign)
    return folded_statistics(
        system, scope, members_in(system, scope), options or StatisticsOptions(), members
    )


def folded_statistics(
    system: LedgerSystem,
    scope: Scope,
    members: list[ScopedMember],
    options: StatisticsOptions,
    listed: MembersPage = MembersPage(),
) -> dict[str, Any]:
    """The 附件5 document computed from ``members`` (the subtree folded as of T, projections.scope)."""
    rows = []
    for m in sorted(members, key=lambda m: (m.home, m.name, m.member_id)):
        facts = cohort_facts(m.member_id, m.file, scope.campaign)
        if facts is not None:
            rows.append((facts, m.file, m.name))
    table = tabulate(rows, options)
    total = len(table.members)
    table.members = listed.cut(table.members)
    return _statistics_document(scope, unit_name(system, scope.unit), table, total, listed)


def stored_statistics(
    system: LedgerSystem, scope: Scope, listed: MembersPage = MembersPage()
) -> dict[str, Any]:
    """The 附件5 document from the placements projection (caught up by the caller), default options.

    Three queries at most: the counts grouped in SQL, the page of members, and the members whose leaf
    disagrees with their marks when the counts say there are any.
    """
    registry = registry_of(system)
    record = registry.unit(scope.unit) if scope.unit is not None else None
    if scope.unit is not None and record is None:
        raise NotFound(f"no unit {scope.unit}")
    counted = tally(system, scope.unit, scope.at)
    rows = page(system, scope.unit, scope.at, listed.offset, listed.limit) if counted.total else []
    off = mismatched(system, scope.unit, scope.at) if counted.mismatched else []
    table = stored_table(counted.counts, rows, off)
    return _statistics_document(scope, record.name if record else "", table, counted.total, listed)


def _statistics_document(
    scope: Scope, unit_name: str, table: StatisticsTable, total: int, listed: MembersPage
) -> dict[str, Any]:
    return {
        "title": TITLE,
        "unit": {"id": scope.unit, "name": unit_name},
        "统计时间": scope.at.isoformat(),
        "basis": scope.basis,
        "campaign": scope.campaign.campaign_id if scope.campaign else None,
        "headers": HEADERS,
        "counts": table.counts,
        "ok": not table.violations,
        "violations": table.violations,
        "members": table.members,
        "members_total": total,
        "members_offset": listed.offset,
        "members_limit": listed.limit,
        "note": NOTE,
    }


def read_lookback(
    system: LedgerSystem, unit: str | None = None, *, at: date | None = None, basis: Basis = "occurred",
) -> dict[str, Any]:  # fmt: skip
    """回头看: per member of the subtree, its disposed cases and findings; per unit, finding counts by code."""
    scope = _scope(system, unit, at, basis, None)
    members, by_code = [], {}  # type: ignore[var-annotated]
    for m in members_in(system, scope):
        findings = member_findings(m.file, system.settings.domain)
        cases = [{"path": i.path, "case_no": i.case_no, "effect_on": i.effect_on.isoformat() if i.effect_on else None}
                 for i in disposed(m.file)]  # fmt: skip
        if not cases and not findings:
            continue
        for f in findings:
            by_code[f["code"]] = by_code.get(f["code"], 0) + 1
        members.append({"member_id": m.member_id, "name": m.name, "home": m.home, "disposed": cases,
                        "findings": findings})  # fmt: skip
    return {
        "title": "回头看",
        "unit": {"id": unit, "name": unit_name(system, unit)},
        "as_of": scope.at.isoformat(),
        "basis": scope.basis,
        "by_code": dict(sorted(by_code.items())),
        "members": members,
    }
