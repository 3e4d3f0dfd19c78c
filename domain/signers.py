"""Who signs which statement (签署人, procedures.md §1.3 and the signer columns of §2) as data.

`TYPE_ROLES` is guard 5's list (the roles §2 names for a type, at any level); `TYPE_SIGNERS` gives the
levels of statements without `ref` (guard 7); path statements take their levels from the step (§4).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from domain.cases import CASE_STEPS, table_step
from domain.codes import ROLE
from domain.levels import Level
from domain.procedures import Signer
from domain.procedures.build import signers

MATERIAL_ROLES = "/".join(r for r in ROLE.codes if r not in ("INS", "ADM"))
"""`MaterialAttached`: any role except INS and ADM (§2.8)."""

_EXPLICIT: Mapping[str, str] = {
    "MemberRegistered": "B:SEC/BST",
    "MemberDataCorrected": "B:SEC/BST",
    "FullMembershipRecorded": "B:SEC",
    "ParticipationRecorded": "B:SEC/BCM/BST",
    "PocketMemberFlagged": "B:SEC/BST; C:CST",
    "TalkHeld": "B:SEC/BCM; C:CMEM",
    "DisciplineRecorded": "C:CST; D+:ODS",
    "OrganisationalLifeResumed": "B:SEC",
    "HistoricalRecordEntered": "B:SEC/BST; C:CST; D:ODS",
    "MaterialAttached": f"B:{MATERIAL_ROLES}; GB:{MATERIAL_ROLES}; C:{MATERIAL_ROLES}; D+:{MATERIAL_ROLES}",
    "AppealLodged": "A:APH",
    "AppealReviewed": "A:APH",
    "AppealAnswered": "A:APH",
    "DispositionRevoked": "A:CSEC/ODL",
    "LookBackReviewed": "A:REV",
    "LookBackRectified": "A:REV",
}


def _case_signers() -> dict[str, tuple[Signer, ...]]:
    out: dict[str, tuple[Signer, ...]] = {}
    for kind, step_id in CASE_STEPS.items():
        step = table_step(step_id)
        if step is not None:
            out[kind] = step.signers
    out["Reviewed"] = signers("C:CSEC")
    return out


TYPE_SIGNERS: Mapping[str, tuple[Signer, ...]] = MappingProxyType(
    {**_case_signers(), **{kind: signers(text) for kind, text in _EXPLICIT.items()}}
)
"""Levels and roles of each statement type without `ref` (a `Reviewed` without `ref` is P0.8)."""

_PATH_ROLES: Mapping[str, str] = {
    "CommitteeOpinionGiven": "SEC",
    "PreReviewed": "CSEC ODL",
    "GuidanceAttended": "CSEC CMEM CST",
    "GeneralMeetingResolved": "SEC",
    "MemberSigned": "SEC",
    "SignatureRefusalNoted": "SEC",
    "Reviewed": "GBS CSEC",
    "Approved": "CSEC ODL",
    "Rejected": "CSEC ODL",
    "Filed": "ODS ODL CST CSEC",
    "MemberNotified": "SEC BCM",
    "Announced": "SEC",
    "PathWithdrawn": "SEC",
    "CorrectionPeriodSet": "SEC",
    "CorrectionPeriodEnded": "SEC",
    "WithdrawalAdvised": "SEC BCM",
    "WithdrawalAdviceAnswered": "SEC",
}

TYPE_ROLES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        **{kind: frozenset(r for s in spec for r in s.roles) for kind, spec in TYPE_SIGNERS.items()},
        **{kind: frozenset(text.split()) for kind, text in _PATH_ROLES.items()},
    }
)
"""Guard 5: every role §2 names for a type."""

B_LEVELS = frozenset({Level.B, Level.B_CM, Level.B_GM})
B_ROLE_STAND_INS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "SEC": frozenset({"SEC", "GBS", "CSEC"}),
        "BST": frozenset({"BST", "CST"}),
        "BCM": frozenset({"BCM", "CMEM"}),
    }
)
"""§1.2: when B is a committee or general branch, SEC reads CSEC (or GBS) and BST/BCM read CST/CMEM."""


def widen(roles: frozenset[str], b_is_branch: bool) -> frozenset[str]:
    """The roles that may act for `roles` at a B level, given whether B is still a branch."""
    if b_is_branch:
        return roles
    return frozenset(r2 for r in roles for r2 in B_ROLE_STAND_INS.get(r, frozenset({r})))
