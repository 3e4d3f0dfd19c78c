"""The member state machine as data (procedures.md §3.1 states, §3.2 transitions and allowed statements).

Triggers are statement types (`"LostContactConfirmed"`) or step ids of §4 (`"P9.3"`); path names (`"P4"`)
stand for every path statement of that path. A condition `Cond(field, values)` holds when the statement
body's `field` has one of `values`. Nothing here evaluates a stream: the guards and `evolve` read the tables.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.settings import DomainSettings


class StateClass(StrEnum):
    """How a state relates to a case (§3.1 "class")."""

    ORDINARY = "ordinary"
    CASE = "case"
    CLOSED = "closed"
    TERMINAL = "terminal"


class MemberState(StrEnum):
    """The states of a member stream (§3.1)."""

    NORMAL = "NORMAL"
    OUT_OF_CONTROL = "OUT_OF_CONTROL"
    LOST_SEARCHING = "LOST_SEARCHING"
    LOST_UNCONTACTABLE = "LOST_UNCONTACTABLE"
    CONTACTED = "CONTACTED"
    CORRECTING = "CORRECTING"
    ADVISED = "ADVISED"
    RETAINED = "RETAINED"
    SUSPENDED_UNCONTACTABLE = "SUSPENDED_UNCONTACTABLE"
    SUSPENDED_ABROAD = "SUSPENDED_ABROAD"
    REMOVED_ADVISED = "REMOVED_ADVISED"
    REMOVED_LAPSED = "REMOVED_LAPSED"
    REMOVED_WITHDRAWN = "REMOVED_WITHDRAWN"
    PROBATION_CANCELLED = "PROBATION_CANCELLED"
    NOT_RECOGNISED = "NOT_RECOGNISED"
    EXPELLED = "EXPELLED"
    DECEASED = "DECEASED"
    TRANSFERRED_OUT = "TRANSFERRED_OUT"

    @property
    def label(self) -> str:
        """The Chinese name of the state."""
        return STATES[self].zh

    @property
    def state_class(self) -> StateClass:
        """ordinary, case, closed or terminal."""
        return STATES[self].state_class

    @property
    def terminal(self) -> bool:
        """True for the terminal states: only completion, correction, appeal and look-back follow."""
        return self.state_class is StateClass.TERMINAL


@dataclass(frozen=True)
class StateInfo:
    """A row of §3.1: Chinese name, class and the usual 附件5 column(s)."""

    zh: str
    state_class: StateClass
    columns: str


_O, _CA, _CL, _T = StateClass.ORDINARY, StateClass.CASE, StateClass.CLOSED, StateClass.TERMINAL
_S = MemberState

STATES: Mapping[MemberState, StateInfo] = {
    _S.NORMAL: StateInfo("正常管理", _O, "C when reached through P1, PR, PX (or after P4)"),
    _S.OUT_OF_CONTROL: StateInfo("失控", _CA, "outside the cohort (not yet 失联)"),
    _S.LOST_SEARCHING: StateInfo("失联-查找中", _CA, "W"),
    _S.LOST_UNCONTACTABLE: StateInfo("失联-确认无法联系", _CA, "W"),
    _S.CONTACTED: StateInfo("已取得联系-处置中", _CA, "N (C, F after an approved 限期改正)"),
    _S.CORRECTING: StateInfo("限期改正中", _CA, "F"),
    _S.ADVISED: StateInfo("劝退待答复", _CA, "N (C, F after an approved 限期改正)"),
    _S.RETAINED: StateInfo("保留组织关系", _O, "D"),
    _S.SUSPENDED_UNCONTACTABLE: StateInfo("停止党籍（无法联系）", _CA, "T"),
    _S.SUSPENDED_ABROAD: StateInfo("停止党籍（出国定居）", _CL, "E / U"),
    _S.REMOVED_ADVISED: StateInfo("劝退 / 劝而不退除名", _T, "H"),
    _S.REMOVED_LAPSED: StateInfo("自行脱党除名", _T, "I / Q"),
    _S.REMOVED_WITHDRAWN: StateInfo("退党除名", _T, "J"),
    _S.PROBATION_CANCELLED: StateInfo("取消预备党员资格", _T, "L / R"),
    _S.NOT_RECOGNISED: StateInfo("不予承认党员资格", _T, "K / W with a flag"),
    _S.EXPELLED: StateInfo("开除党籍", _T, "M / V"),
    _S.DECEASED: StateInfo("死亡", _T, "X"),
    _S.TRANSFERRED_OUT: StateInfo("转出", _T, "the column it held before (C)"),
}

NON_TERMINAL: frozenset[MemberState] = frozenset(
    s for s, info in STATES.items() if info.state_class in (_O, _CA)
)
"""§3.2 "any non-terminal": ordinary and case states (SUSPENDED_ABROAD is closed, with its own extras)."""
CASE_STATES: frozenset[MemberState] = frozenset(s for s, info in STATES.items() if info.state_class is _CA)
ALL_STATES: frozenset[MemberState] = frozenset(MemberState)

SUSPENDED = "suspended"
"""The CONTACTED flag set while a 停止党籍（无法联系）is in force (§3.1)."""


@dataclass(frozen=True)
class Cond:
    """Holds when the statement body's `field` has one of `values`."""

    field: str
    values: tuple[str | bool, ...]


@dataclass(frozen=True)
class Transition:
    """A row of §3.2: from `sources`, the trigger (statement type or step id) under `when` leads to `target`.

    An empty `sources` means the empty stream (T1). `target` None means "the state just before the revoked
    ◆ step" (T31). `flag` is a member flag the source must carry; `sets_flag` / `clears_flag` change it.
    `setting` names a boolean `DomainSettings` field that must be true for the row to exist. Rows are tried
    in order and the first match applies, so conditional rows stand before their unconditional twin.
    """

    no: str
    sources: frozenset[MemberState]
    trigger: str
    target: MemberState | None
    when: tuple[Cond, ...] = ()
    flag: str | None = None
    sets_flag: str | None = None
    clears_flag: str | None = None
    setting: str | None = None
    note: str = ""


def _s(*states: MemberState) -> frozenset[MemberState]:
    return frozenset(states)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("T1", _s(), "MemberRegistered", _S.DECEASED, (Cond("special_status", ("deceased",)),),
               note="look-back finding status-without-procedure unless 补录 backs it [inferred]"),
    Transition("T1", _s(), "MemberRegistered", _S.SUSPENDED_ABROAD,
               (Cond("special_status", ("suspended",)),)),
    Transition("T1", _s(), "MemberRegistered", _S.RETAINED, (Cond("special_status", ("retained",)),)),
    Transition("T1", _s(), "MemberRegistered", _S.NORMAL),
    Transition("T2", _s(_S.NORMAL), "OutOfControlListed", _S.OUT_OF_CONTROL, note="case opens"),
    Transition("T3", _s(_S.NORMAL), "PocketMemberFlagged", _S.OUT_OF_CONTROL,
               (Cond("whereabouts_known", (False,)),), note="case opens [inferred]"),
    Transition("T3", _s(_S.NORMAL), "PocketMemberFlagged", _S.NORMAL, note="with the 口袋 flag"),
    Transition("T4", _s(_S.NORMAL, _S.OUT_OF_CONTROL, _S.RETAINED), "LostContactConfirmed", _S.LOST_SEARCHING,
               note="case opens, or the 失控 case goes on"),
    Transition("T5", _s(_S.OUT_OF_CONTROL), "ContactRestored", _S.NORMAL, note="case closes"),
    Transition("T6", _s(_S.LOST_SEARCHING, _S.LOST_UNCONTACTABLE), "ContactRestored", _S.CONTACTED,
               note="an open P3, P9 or P11 instance ends superseded"),
    Transition("T7", _s(_S.SUSPENDED_UNCONTACTABLE), "ContactRestored", _S.CONTACTED, sets_flag=SUSPENDED),
    Transition("T8", _s(_S.LOST_SEARCHING), "UncontactableConfirmed", _S.LOST_UNCONTACTABLE),
    Transition("T9", _s(_S.LOST_UNCONTACTABLE), "Reviewed", _S.LOST_SEARCHING,
               (Cond("subject", ("search_record",)), Cond("result", ("disagree", "return")))),
    Transition("T10", _s(_S.LOST_UNCONTACTABLE), "P9.3", _S.SUSPENDED_UNCONTACTABLE),
    Transition("T11", _s(_S.LOST_UNCONTACTABLE), "P11.3", _S.PROBATION_CANCELLED),
    Transition("T12", _s(_S.CONTACTED, _S.RETAINED, _S.LOST_UNCONTACTABLE), "P3.3", _S.SUSPENDED_ABROAD),
    Transition("T13", _s(_S.SUSPENDED_UNCONTACTABLE), "P10.8", _S.REMOVED_LAPSED),
    Transition("T13", _s(_S.LOST_UNCONTACTABLE), "P10.8", _S.REMOVED_LAPSED,
               setting="direct_lapse_removal_allowed"),
    Transition("T14", _s(_S.CONTACTED), "P1.3", _S.NORMAL, note="case closes"),
    Transition("T15", _s(_S.CONTACTED, _S.NORMAL), "P2.2", _S.RETAINED),
    Transition("T16", _s(_S.CONTACTED), "P4.6", _S.CORRECTING),
    Transition("T17", _s(_S.CORRECTING), "P4.11", _S.NORMAL, (Cond("result", ("corrected",)),),
               note="case closes"),
    Transition("T17", _s(_S.CORRECTING), "P4.11", _S.CONTACTED, (Cond("result", ("not_changed",)),)),
    Transition("T18", _s(_S.CONTACTED), "P5.9", _S.ADVISED),
    Transition("T19", _s(_S.ADVISED), "P5.10", _S.REMOVED_ADVISED, (Cond("answer", ("accepts",)),)),
    Transition("T19", _s(_S.ADVISED), "P5.14", _S.REMOVED_ADVISED),
    Transition("T20", _s(_S.CONTACTED), "P6.8", _S.REMOVED_LAPSED),
    Transition("T21", _s(_S.CONTACTED, _S.CORRECTING), "P7.1", _S.REMOVED_WITHDRAWN,
               (Cond("outcome", ("passed",)),)),
    Transition("T22", _s(_S.CONTACTED), "P8.3", _S.PROBATION_CANCELLED),
    Transition("T23", _s(_S.CONTACTED), "PR.3", _S.NORMAL, flag=SUSPENDED, clears_flag=SUSPENDED,
               note="suspension lifted, case closes"),
    Transition("T24", _s(_S.CONTACTED, _S.NORMAL), "PX.3", _S.NORMAL, note="case closes if open"),
    Transition("T25", NON_TERMINAL, "PN.3", _S.NOT_RECOGNISED),
    Transition("T26", NON_TERMINAL, "DisciplineRecorded", _S.EXPELLED, (Cond("sanction", ("expulsion",)),)),
    Transition("T27", NON_TERMINAL | _s(_S.SUSPENDED_ABROAD), "DeathConfirmed", _S.DECEASED,
               note="SUSPENDED_ABROAD included: §3.1 allows DeathConfirmed there"),
    Transition("T28", _s(_S.RETAINED), "OrganisationalLifeResumed", _S.NORMAL),
    Transition("T29", _s(_S.NORMAL), "RelationReceived", _S.TRANSFERRED_OUT, (Cond("letter", ("outside",)),),
               note="letter: to_org (outside) or to_unit (inside) of the letter named by letter_no"),
    Transition("T29", _s(_S.NORMAL), "RelationReceived", _S.NORMAL, note="inside: the new home"),
    Transition("T30", _s(_S.NORMAL), "FullMembershipRecorded", _S.NORMAL,
               note="probationary → member_type full"),
    Transition("T31", ALL_STATES, "DispositionRevoked", None,
               note="from the state a ◆ step produced or a later one of its case; the case reopens"),
)  # fmt: skip
"""§3.2 transitions in order; statements not named leave the state unchanged."""


@dataclass(frozen=True)
class Allowance:
    """A row of §3.2's "allowed in" table: where the named statement types or paths may appear.

    `after_effect` rows (completion steps) are allowed in the state their instance's ◆ step produced and
    in later states of the same case; the engine resolves that from the stream, so `states` is empty.
    """

    names: tuple[str, ...]
    states: frozenset[MemberState]
    when: tuple[Cond, ...] = ()
    flag: str | None = None
    setting: str | None = None
    after_effect: bool = False
    note: str = ""


ALLOWANCES: tuple[Allowance, ...] = (
    Allowance(("ParticipationRecorded", "MemberDataCorrected", "ConductInvestigated", "DeathConfirmed",
               "DisciplineRecorded", "PN"), NON_TERMINAL),
    Allowance(("MemberDataCorrected", "DeathConfirmed"), _s(_S.SUSPENDED_ABROAD), note="§3.1"),
    Allowance(("AbsenceRecorded",), _s(_S.NORMAL, _S.RETAINED)),
    Allowance(("OutOfControlListed", "PocketMemberFlagged"), _s(_S.NORMAL)),
    Allowance(("LostContactConfirmed",), _s(_S.NORMAL, _S.OUT_OF_CONTROL, _S.RETAINED)),
    Allowance(("SearchAttemptRecorded", "ContactRestored"),
              _s(_S.OUT_OF_CONTROL, _S.LOST_SEARCHING, _S.LOST_UNCONTACTABLE, _S.SUSPENDED_UNCONTACTABLE)),
    Allowance(("UncontactableConfirmed",), _s(_S.LOST_SEARCHING)),
    Allowance(("Reviewed",), _s(_S.LOST_UNCONTACTABLE), (Cond("subject", ("search_record",)),), note="P0.8"),
    Allowance(("ViolationReferred",), CASE_STATES),
    Allowance(("TalkHeld",), CASE_STATES | _s(_S.NORMAL, _S.RETAINED)),
    Allowance(("P1", "P4"), _s(_S.CONTACTED)),
    Allowance(("P2",), _s(_S.CONTACTED, _S.NORMAL)),
    Allowance(("P3",), _s(_S.CONTACTED, _S.RETAINED, _S.LOST_UNCONTACTABLE)),
    Allowance(("P5",), _s(_S.CONTACTED, _S.ADVISED)),
    Allowance(("P6", "P8", "RestorationApplied"), _s(_S.CONTACTED)),
    Allowance(("P7", "WithdrawalApplied"), _s(_S.CONTACTED, _S.CORRECTING)),
    Allowance(("P9", "P11"), _s(_S.LOST_UNCONTACTABLE)),
    Allowance(("P10",), _s(_S.SUSPENDED_UNCONTACTABLE)),
    Allowance(("P10",), _s(_S.LOST_UNCONTACTABLE), setting="direct_lapse_removal_allowed"),
    Allowance(("PR",), _s(_S.CONTACTED), flag=SUSPENDED),
    Allowance(("PX",), _s(_S.CONTACTED, _S.NORMAL)),
    Allowance(("CorrectionPeriodSet", "CorrectionPeriodEnded", "EducationSupportRecorded"),
              _s(_S.CORRECTING)),
    Allowance(("EducationSupportRecorded",), _s(_S.REMOVED_ADVISED, _S.REMOVED_LAPSED),
              (Cond("measure", ("care",)),), note="continued care after 劝退 / 除名"),
    Allowance(("RelationTransferred", "TransferReissued", "RelationReceived", "MobileCertificateIssued",
               "FullMembershipRecorded"), _s(_S.NORMAL)),
    Allowance(("OrganisationalLifeResumed",), _s(_S.RETAINED)),
    Allowance(("Filed", "MemberNotified", "Announced", "P4.9", "P5.15"), frozenset(), after_effect=True,
              note="completion steps after ◆"),
    Allowance(("AppealLodged", "AppealReviewed", "AppealAnswered", "LookBackReviewed", "LookBackRectified",
               "DispositionRevoked", "MaterialAttached", "Corrected", "Attested"), ALL_STATES),
    Allowance(("HistoricalRecordEntered",), ALL_STATES, note="the wrapped record is checked as in §5.4"),
    Allowance(("PathWithdrawn",), ALL_STATES,
              note="while an instance is active, before its ◆ step (§2.5; not a row of §3.2) [inferred]"),
)  # fmt: skip
"""§3.2 "allowed in" rows; a type or path in no matching row is refused with `step-not-allowed` (guard 10)."""

CASE_FAMILY_STATEMENTS: frozenset[str] = frozenset(
    {"SearchAttemptRecorded", "ContactRestored", "UncontactableConfirmed", "ViolationReferred",
     "WithdrawalApplied", "RestorationApplied"}
)  # fmt: skip
"""Refused with `case-not-open` when no case is open (guard 9), besides the paths below."""
CASE_FAMILY_PATHS: frozenset[str] = frozenset({"P1", *(f"P{n}" for n in range(4, 12)), "PR"})
"""Paths whose statements are case-family statements (§3.2)."""


@functools.lru_cache(maxsize=1024)
def triggered_by(statement_type: str, step: str | None) -> tuple[Transition, ...]:
    """The rows a statement of this type performing this step can fire, in table order (all others cannot)."""
    return tuple(t for t in TRANSITIONS if t.trigger in (statement_type, step))


@functools.lru_cache(maxsize=64)
def transitions(settings: DomainSettings) -> tuple[Transition, ...]:
    """The transition rows in force under `settings` (rows gated by a false setting are left out)."""
    return tuple(t for t in TRANSITIONS if t.setting is None or getattr(settings, t.setting))


@functools.lru_cache(maxsize=4096)
def allowances_for(name: str, settings: DomainSettings) -> tuple[Allowance, ...]:
    """The rows that allow a statement type, path id or step id under `settings`."""
    return tuple(
        a for a in ALLOWANCES if name in a.names and (a.setting is None or getattr(settings, a.setting))
    )
