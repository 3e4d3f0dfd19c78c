"""The dossier projection (失联党员查找处置全程纪实表, 附件4): every member statement filed in its box.

Table ``proj_dossier_entries``: one row per member-stream statement, with its 附件4 box (procedures.md
§2.11), type (a 补录 record unwrapped), dates, signer, the statement text exactly as signed, its hash and
signature (so the read can verify signature and chain from the row), and the hash it corrects, if any.
The page itself is assembled by projections.dossier_read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.asof import recorded_date
from domain.evolve import unwrap
from domain.levels import Level
from domain.procedures import find_step
from ledger.logstore import Cursor
from projections.base import Projection, Recorded
from projections.files import is_member_statement

BOXES: Mapping[str, str] = {
    "basic": "基本情况",
    "11": "党组织查找情况记录",
    "12": "失联党员表现调查核实情况",
    "13": "支委会初步处置意见",
    "14": "基层党委预审意见",
    "15": "上一级党委组织部门对拟劝退、除名处置的预审意见",
    "16": "支部党员大会决议",
    "17": "基层党委审核（审批）意见",
    "18": "上一级党委组织部门对劝退、除名处置的审批意见",
    "19": "备注",
    "appeals": "申诉",
    "other": "其他记录",
}
"""The boxes of 附件4 (forms §3.7) by number, plus basic data, appeals and other records."""

_FIXED = {
    "MemberRegistered": "basic",
    "LostContactConfirmed": "basic",
    "MemberDataCorrected": "basic",
    "SearchAttemptRecorded": "11",
    "Attested": "11",
    "ContactRestored": "11",
    "ConductInvestigated": "12",
    "ViolationReferred": "12",
    "CommitteeOpinionGiven": "13",
    "UncontactableConfirmed": "13",
    "GeneralMeetingResolved": "16",
    "MemberSigned": "16",
    "SignatureRefusalNoted": "16",
    "Filed": "19",
    "MemberNotified": "19",
    "Announced": "19",
    "Corrected": "19",
    "DispositionRevoked": "19",
    "LookBackReviewed": "19",
    "LookBackRectified": "19",
    "AppealLodged": "appeals",
    "AppealReviewed": "appeals",
    "AppealAnswered": "appeals",
}
_DEPARTMENT = frozenset({Level.D, Level.D_PLUS})


def _step_level(body: Mapping[str, Any]) -> Level | None:
    ref = body.get("ref")
    if not isinstance(ref, Mapping):
        return None
    try:
        return find_step(str(ref["step"])).level
    except (KeyError, ValueError):
        return None


def box_of(record_type: str, body: Mapping[str, Any]) -> str:
    """The 附件4 box of a statement (§2.11); "other" for statements the form has no box for."""
    if record_type in _FIXED:
        return _FIXED[record_type]
    level = _step_level(body)
    at_department = level in _DEPARTMENT
    if record_type == "PreReviewed":
        return "15" if at_department else "14"
    if record_type == "Reviewed":
        return "17" if body.get("subject") == "resolution" else "14"
    if record_type in ("Approved", "Rejected"):
        return "18" if at_department else "17"
    return "other"


ROW = (
    "member_id, seq, hash, type, box, historical, occurred_at, recorded_at, recorded_on, actor,"
    " key_id, signature, statement, corrects"
)


def dossier_row(item: Recorded, timezone: str) -> list[Any]:
    """The table row of one member statement."""
    record_type, body, declared = unwrap(item.statement)
    corrects = body.get("corrects") if item.type == "Corrected" else None
    on = recorded_date(item.recorded_at, timezone)
    return [
        item.stream, item.seq, item.hash, record_type, box_of(record_type, body), int(bool(declared)),
        item.statement["occurred_at"], item.recorded_at, on.isoformat() if on else "", item.statement["actor"],
        item.statement["key"], item.signature, item.text, corrects,
    ]  # fmt: skip


class DossierProjection(Projection):
    """全程纪实 — the dossier read model (see the module docstring)."""

    name = "dossier"
    title = "失联党员查找处置全程纪实表"
    tables = ("proj_dossier_entries",)

    def ddl(self) -> list[str]:
        """The entries table, keyed by (member, seq)."""
        return [
            "CREATE TABLE IF NOT EXISTS {t}proj_dossier_entries (member_id TEXT NOT NULL, seq INTEGER NOT NULL,"
            " hash TEXT NOT NULL, type TEXT NOT NULL, box TEXT NOT NULL, historical INTEGER NOT NULL,"
            " occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_on TEXT NOT NULL,"
            " actor TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL, statement TEXT NOT NULL,"
            " corrects TEXT, PRIMARY KEY (member_id, seq))",
        ]

    def prepare(self, batch: Sequence[Recorded]) -> list[list[Any]]:
        """One row per member statement of the batch."""
        timezone = self.system.settings.domain.ledger_timezone
        return [dossier_row(item, timezone) for item in batch if is_member_statement(item)]

    def write(self, cursor: Cursor, prepared: list[list[Any]]) -> None:
        """Insert the rows."""
        if prepared:
            marks = ",".join("?" for _ in range(14))
            insert: Any = cursor
            insert.executemany(
                self.log.sql(f"INSERT INTO {{t}}proj_dossier_entries ({ROW}) VALUES ({marks})"), prepared
            )
