"""The member file (党员档案, 一人一档) as folded from one member stream: state, case, instances, history.

`MemberFile` is frozen; `evolve` (domain.evolve) returns a new one for every accepted statement. Each
accepted statement becomes an `Entry` (a 补录 record is unwrapped: its type and body are the paper
record's, `historical` is set and `signers` hold the declared original signers).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from domain.dates import add_months
from domain.states import CASE_STATES, MemberState

ACTIVE, EFFECTIVE, ENDED = "active", "effective", "ended"
"""Instance status: before its ◆ step, after it, or ended (completed, not_agreed, rejected, …) (§3.3)."""

Record = TypeVar("Record")


def renewed(record: Record, **changes: Any) -> Record:
    """A copy of a frozen record with some fields changed.

    ``dataclasses.replace`` without re-running ``__init__``: the fold makes several copies per statement and
    every field it copies is already valid, so only the field names are checked.
    """
    fields = type(record).__dataclass_fields__  # type: ignore[attr-defined]
    assert fields.keys() >= changes.keys(), f"unknown fields {set(changes) - set(fields)}"
    copy = object.__new__(type(record))
    copy.__dict__.update(record.__dict__, **changes)
    return copy


@dataclass(frozen=True)
class DeclaredSigner:
    """An original signer of a paper record (补录): name, role, unit as declared, and standing if given."""

    name: str
    role: str
    unit: str
    standing: str | None = None


@dataclass(frozen=True)
class Entry:
    """One accepted statement as the rules read it (unwrapped for 补录)."""

    hash: str
    seq: int
    type: str
    occurred_at: date
    recorded_at: str
    actor: str
    body: Mapping[str, Any]
    case_no: int
    historical: bool = False
    signers: tuple[DeclaredSigner, ...] = ()
    withdrawn: bool = False

    @property
    def ref(self) -> tuple[str, str] | None:
        """(path, step) of a path statement, else None."""
        ref = self.body.get("ref")
        return (ref["path"], ref["step"]) if isinstance(ref, Mapping) else None


@dataclass(frozen=True)
class Snapshot:
    """The state just before a ◆ step, restored by `DispositionRevoked` (T31)."""

    state: MemberState
    flags: frozenset[str]
    case_open: bool


@dataclass(frozen=True)
class StepDone:
    """A step of an instance on record: its id, statement hash, result (agree, passed, …) and date."""

    step: str
    hash: str
    type: str
    result: str | None
    occurred_at: date


@dataclass(frozen=True)
class Instance:
    """A path instance (处置程序): one run of one path inside a case (§3.3)."""

    path: str
    case_no: int
    started: str
    steps: tuple[StepDone, ...] = ()
    proposed: str | None = None
    status: str = ACTIVE
    end_reason: str | None = None
    effect_hash: str | None = None
    effect_on: date | None = None
    before: Snapshot | None = None

    def done(self, step_id: str) -> tuple[StepDone, ...]:
        """Every record of `step_id` in this instance, oldest first."""
        return tuple(s for s in self.steps if s.step == step_id)

    def latest(self, step_id: str) -> StepDone | None:
        """The latest record of `step_id`, or None."""
        found = self.done(step_id)
        return found[-1] if found else None

    def latest_of(self, statement_type: str) -> StepDone | None:
        """The latest step recorded by a statement of this type."""
        found = [s for s in self.steps if s.type == statement_type]
        return found[-1] if found else None


@dataclass(frozen=True)
class Suspension:
    """The dates of a 停止党籍（无法联系）in force: P9.2 decision, P9.3 approval, P9.4 filing (§5.3, [C7])."""

    decision: date | None = None
    approval: date | None = None
    filing: date | None = None


@dataclass(frozen=True)
class Finding:
    """A guard that would have refused a 补录 record, or another look-back finding (§5.4)."""

    code: str
    hash: str


@dataclass(frozen=True)
class MemberFile:
    """Everything the rules know of one member stream."""

    stream: str = ""
    state: MemberState | None = None
    flags: frozenset[str] = frozenset()
    member_type: str = "full"
    full_since: date | None = None
    joined_on: date | None = None
    homes: tuple[tuple[date, str], ...] = ()
    case_no: int = 0
    case_open: bool = False
    case_opened_at: date | None = None
    instances: tuple[Instance, ...] = ()
    suspension: Suspension | None = None
    entries: tuple[Entry, ...] = ()
    log: tuple[tuple[Mapping[str, Any], str, str], ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def registered(self) -> bool:
        """False for the empty stream."""
        return self.state is not None

    def home(self, t: date) -> str:
        """home(m, t): the registered branch, replaced by each inside receipt dated ≤ t (§1.2)."""
        current = self.homes[0][1] if self.homes else ""
        for since, unit in self.homes:
            if since <= t:
                current = unit
        return current

    def member_type_at(self, t: date) -> str:
        """full or probationary at t (§3.4)."""
        if self.member_type == "full" and (self.full_since is None or self.full_since <= t):
            return "full"
        return "probationary"

    def probation_end(self, probation_months: int, extension_from: str = "approval") -> date | None:
        """The end of probation (§3.4): joined_on + `probation_months`, moved by each effective PX.3.

        PX.3 adds its `extension_months` to the old end, or to the PX.3 date when the old end had already
        passed and `expired_probation_extension_from` is approval. None for a full member.
        """
        if self.member_type == "full" or self.joined_on is None:
            return None
        end = add_months(self.joined_on, probation_months)
        for i in self.instances:
            approval = self.entry(i.effect_hash) if i.path == "PX" and i.effect_hash else None
            if approval is None or i.effect_on is None or i.end_reason == "revoked":
                continue
            months = int(approval.body.get("extension_months") or 0)
            start = i.effect_on if end < i.effect_on and extension_from == "approval" else end
            end = add_months(start, months)
        return end

    def scope(self) -> Iterator[Entry]:
        """The live (not withdrawn) entries "in the case": the open case's, else the whole stream (§3.2)."""
        for entry in self.entries:
            if not entry.withdrawn and (not self.case_open or entry.case_no == self.case_no):
                yield entry

    def of_type(self, *types: str) -> list[Entry]:
        """Entries in scope of any of these types, oldest first (``scope`` inlined: a hot read)."""
        case_open, case_no = self.case_open, self.case_no
        return [
            e
            for e in self.entries
            if e.type in types and not e.withdrawn and (not case_open or e.case_no == case_no)
        ]

    def entry(self, digest: str) -> Entry | None:
        """The entry with this hash on the stream (withdrawn ones included)."""
        return next((e for e in self.entries if e.hash == digest), None)

    def contacted(self) -> bool:
        """A `ContactRestored` lies in the current case (the "contacted side", §3.1)."""
        return bool(self.of_type("ContactRestored"))

    def instance_for(self, path: str) -> Instance | None:
        """The latest instance of `path` in the current case (or on the stream when no case is open)."""
        found = [
            i for i in self.instances if i.path == path and (not self.case_open or i.case_no == self.case_no)
        ]
        return found[-1] if found else None

    def active_instances(self) -> list[Instance]:
        """Instances of the current case that have not passed their ◆ step and have not ended."""
        return [i for i in self.instances if i.status == ACTIVE and i.case_no == self.case_no]

    def effect_entries(self) -> list[Entry]:
        """Entries that are ◆ steps of an instance (appeal, look-back and revocation targets)."""
        hashes = {i.effect_hash for i in self.instances if i.effect_hash}
        return [e for e in self.entries if e.hash in hashes]

    def in_case_state(self) -> bool:
        """Whether the state is a case state."""
        return self.state in CASE_STATES
