"""Reads of the registers, the 附件5 table and 回头看 for a unit subtree, as of any date, on either basis.

Every read brings the status projection up to date (its member list), then folds the members of the
subtree as of T (projections.scope) and computes the document.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.asof import Basis
from ledger.system import LedgerSystem
from projections.cohort import cohort_facts
from projections.lookback import disposed, member_findings
from projections.registers import Kind, register
from projections.scope import Scope, campaign_of, members_in, unit_name
from projections.statistics import HEADERS, NOTE, TITLE, StatisticsOptions, tabulate
from projections.status import StatusProjection


def _scope(
    system: LedgerSystem, unit: str | None, at: date | None, basis: Basis, campaign: str | None
) -> Scope:
    StatusProjection(system).catch_up()
    return Scope(unit, at or date.today(), basis, campaign_of(system, campaign))


def read_register(
    system: LedgerSystem, kind: Kind, unit: str | None = None, *, at: date | None = None,
    basis: Basis = "occurred", campaign: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One register (名册, 取得联系, 仍然无法) of the unit's subtree as of ``at``."""
    scope = _scope(system, unit, at, basis, campaign)
    return register(kind, members_in(system, scope), scope, system.settings.domain, unit_name(system, unit))


def read_statistics(
    system: LedgerSystem, unit: str | None = None, *, at: date | None = None, basis: Basis = "occurred",
    campaign: str | None = None, options: StatisticsOptions | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The 附件5 table of the unit's subtree as of 统计时间 ``at``, with its checks and placements."""
    scope = _scope(system, unit, at, basis, campaign)
    rows = []
    for m in members_in(system, scope):
        facts = cohort_facts(m.member_id, m.file, scope.campaign)
        if facts is not None:
            rows.append((facts, m.file, m.name))
    table = tabulate(rows, options or StatisticsOptions())
    return {
        "title": TITLE,
        "unit": {"id": unit, "name": unit_name(system, unit)},
        "统计时间": scope.at.isoformat(),
        "basis": scope.basis,
        "campaign": campaign,
        "headers": HEADERS,
        "counts": table.counts,
        "ok": not table.violations,
        "violations": table.violations,
        "members": table.members,
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
