"""The members of a unit subtree as of a date: the shared input of the registers, 附件5 and 回头看 reads.

Member ids come from the status projection (brought up to date by the caller); each stream is folded and
cut to T on the chosen basis (``domain.asof``); a member belongs to the subtree when its home branch at T
(``home(m, T)``) lies under the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.asof import Basis, as_of
from domain.member import MemberFile
from domain.registry import Campaign
from ledger.errors import NotFound
from ledger.system import LedgerSystem
from projections.status import member_name
from projections.status_read import fold_member, registry_of, subtree


@dataclass(frozen=True)
class Scope:
    """What a read covers: the unit (None: every unit), T, the basis, and an optional campaign."""

    unit: str | None
    at: date
    basis: Basis = "occurred"
    campaign: Campaign | None = None


@dataclass(frozen=True)
class ScopedMember:
    """One member as of T: stream id, name, home branch, and the file cut to T."""

    member_id: str
    name: str
    home: str
    file: MemberFile


def campaign_of(system: LedgerSystem, campaign_id: str | None) -> Campaign | None:
    """The review campaign (集中排查) by id; ``NotFound`` for an unknown one."""
    if campaign_id is None:
        return None
    found = registry_of(system).campaign(campaign_id)
    if found is None:
        raise NotFound(f"no review campaign {campaign_id}")
    return found


def unit_name(system: LedgerSystem, unit: str | None) -> str:
    """The unit's registered name ("" for None)."""
    record = registry_of(system).unit(unit) if unit else None
    return record.name if record is not None else ""


def members_in(system: LedgerSystem, scope: Scope) -> list[ScopedMember]:
    """Every registered member whose home at T lies in the unit's subtree, folded as of T."""
    registry = registry_of(system)
    units = set(subtree(registry, scope.unit)) if scope.unit is not None else None
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql("SELECT member_id FROM {t}proj_status ORDER BY home, name, member_id"))
        ids = [str(row["member_id"]) for row in cursor.fetchall()]
    out = []
    timezone = system.settings.domain.ledger_timezone
    for member_id in ids:
        file = as_of(fold_member(system, member_id), scope.at, scope.basis, timezone)
        if file.state is None:
            continue
        home = file.home(scope.at)
        if units is None or home in units:
            out.append(ScopedMember(member_id, member_name(file), home, file))
    if scope.unit is not None and registry.unit(scope.unit) is None:
        raise NotFound(f"no unit {scope.unit}")
    return out
