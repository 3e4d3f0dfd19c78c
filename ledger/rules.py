"""The domain engine on the append path: guards for every statement, and the registry they consult.

The registry (units, actors, campaigns: the ``World`` of ``domain.registry``) is folded from the unit
and actor streams. Each ledger process keeps one in memory; a counter row in the database, bumped in
the same transaction as every unit or actor statement, tells a process that another one changed the
registry, and the insert transaction itself re-checks that counter, so no statement is judged against
a registry that moved underneath it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.engine import check, decide, stream_kind
from domain.member import MemberFile
from domain.registry import RegistryWorld
from domain.settings import DomainSettings
from ledger.enrolment import KernelState
from ledger.errors import GuardRefused

REGISTRY_KINDS = ("unit", "actor")


@dataclass(frozen=True)
class Judgement:
    """What the engine made of one statement: the stream's next state and the registry after it."""

    state: KernelState
    registry: RegistryWorld
    registry_changed: bool


class DomainGate:
    """Judges statements with the domain engine; a refusal raises ``GuardRefused``."""

    def __init__(self, settings: DomainSettings) -> None:
        self.settings = settings
        self.zone = ZoneInfo(settings.ledger_timezone)

    def recorded_on(self, moment: datetime) -> date:
        """The ledger-local date of a recording instant (§5.3: dates in the ledger time zone)."""
        return moment.astimezone(self.zone).date()

    def judge(
        self,
        state: KernelState,
        statement: Mapping[str, Any],
        digest: str,
        recorded_at: str,
        moment: datetime,
        registry: RegistryWorld,
        *,
        genesis: bool,
    ) -> Judgement:
        """Run the guards for a statement and fold it into the member file or the registry."""
        kind = stream_kind(statement["type"])
        if kind in REGISTRY_KINDS:
            if not genesis:
                refusals = check(MemberFile(), statement, registry, self.settings, self.recorded_on(moment))
                if refusals:
                    raise GuardRefused(refusals)
            return Judgement(state, registry.apply(statement), True)
        decision = decide(
            state.member or MemberFile(),
            statement,
            digest,
            recorded_at,
            registry,
            self.settings,
            self.recorded_on(moment),
        )
        if decision.refusals:
            raise GuardRefused(decision.refusals)
        return Judgement(replace(state, member=decision.state), registry, False)

    @staticmethod
    def is_registry_statement(statement_type: str) -> bool:
        """Whether statements of this type belong to a unit or actor stream."""
        return stream_kind(statement_type) in REGISTRY_KINDS
