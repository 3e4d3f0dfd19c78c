"""The members of a unit subtree as of a date: the shared input of the registers, 附件5 and 回头看 reads.

Member ids come from the status projection (brought up to date by the caller); each stream is folded and
cut to T on the chosen basis (``domain.asof``); a member belongs to the subtree when its home branch at T
(``home(m, T)``) lies under the unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.asof import Basis, as_of
from domain.member import MemberFile
from domain.registry import Campaign, RegistryWorld
from ledger.errors import NotFound
from ledger.system import LedgerSystem
from projections.placements import cohort_ids
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


def members_in(system: LedgerSystem, scope: Scope, *, cohort_only: bool = False) -> list[ScopedMember]:
    """Every registered member whose home at T lies in the unit's subtree, folded as of T.

    ``cohort_only`` (occurred basis only, where the placements projection answers it, caught up by the
    caller): fold only the members in the 失联 cohort of the subtree at T (any campaign's cohort is a part
    of it), for reads that list nobody else; on the recorded basis it changes nothing.
    """
    registry = registry_of(system)
    if scope.unit is not None and registry.unit(scope.unit) is None:
        raise NotFound(f"no unit {scope.unit}")
    wanted = cohort_ids(system, scope.unit, scope.at) if cohort_only and scope.basis == "occurred" else None
    members = folded(system, scope.at, scope.basis, wanted)
    return within(members, registry, scope.unit)


def folded(
    system: LedgerSystem,
    at: date,
    basis: Basis = "occurred",
    wanted: set[str] | None = None,
    files: Mapping[str, MemberFile] | None = None,
) -> list[ScopedMember]:
    """Every registered member (of ``wanted`` when given), folded as of ``at``, in the status order.

    ``files`` holds whole-stream files already folded (a caller reading many dates folds each stream once);
    a stream missing from it is folded from the store.
    """
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql("SELECT member_id FROM {t}proj_status ORDER BY home, name, member_id"))
        ids = [str(row["member_id"]) for row in cursor.fetchall()]
    out = []
    timezone = system.settings.domain.ledger_timezone
    for member_id in ids:
        if wanted is not None and member_id not in wanted:
            continue
        whole = files.get(member_id) if files is not None else None
        file = as_of(whole if whole is not None else fold_member(system, member_id), at, basis, timezone)
        if file.state is None:
            continue
        out.append(ScopedMember(member_id, member_name(file), file.home(at), file))
    return out


def within(members: list[ScopedMember], registry: RegistryWorld, unit: str | None) -> list[ScopedMember]:
    """The members whose home at T lies in the unit's subtree (all of them for None), order kept."""
    if unit is None:
        return members
    units = set(subtree(registry, unit))
    return [m for m in members if m.home in units]
