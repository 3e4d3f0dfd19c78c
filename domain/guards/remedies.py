"""Guards of corrections, appeals, revocations and look-back (45, 47–49; 46 is run by the engine, which
replays the stream). 更正、申诉、撤销、回头看."""

from __future__ import annotations

from datetime import date

from domain.guards.context import Ctx
from domain.member import Entry
from domain.registry import World

APPROVED_AT_SELF = frozenset({"GeneralMeetingResolved", "WithdrawalAdviceAnswered"})


def signer_unit(world: World, entry: Entry) -> str | None:
    """The unit that signed an entry (the declared one for 补录): for a ◆ step, its approving unit."""
    if entry.signers:
        return entry.signers[0].unit
    view = world.actor(entry.actor, entry.occurred_at)
    return view.unit if view is not None else None


def _ancestors(world: World, unit: str, t: date) -> list[str]:
    tree = world.tree(t)
    return list(tree.ancestors(unit)) if unit in tree else []


def _effect(c: Ctx, digest: object) -> Entry | None:
    return next((e for e in c.file.effect_entries() if e.hash == digest), None)


def _at_or_above(c: Ctx, target: Entry) -> tuple[bool, bool]:
    """(signed at the target's approving unit, signed at an ancestor of it)."""
    approving = signer_unit(c.world, target)
    unit = c.signer.unit if c.signer is not None else None
    if approving is None or unit is None:
        return False, False
    return unit == approving, unit in _ancestors(c.world, approving, c.t)


def correction_not_permitted(c: Ctx) -> str | None:
    """45 无权更正该记录: target not here or withdrawn, a correction or co-signature, or a signer without right."""
    if c.type != "Corrected":
        return None
    target = c.file.entry(str(c.body.get("corrects")))
    if target is None or target.withdrawn:
        return "no such statement, or withdrawn"
    if target.type in ("Corrected", "Attested"):
        return f"a {target.type} cannot be corrected"
    if c.actor == target.actor or c.signer is None:
        return None if c.signer is not None or c.actor == target.actor else "signer not registered"
    original = c.world.actor(target.actor, target.occurred_at)
    same_role = (
        original is not None and c.signer.unit == original.unit and bool(c.signer.roles & original.roles)
    )
    reviewer = (
        "REV" in c.signer.roles
        and original is not None
        and original.unit is not None
        and (c.signer.unit in _ancestors(c.world, original.unit, c.t))
    )
    return None if same_role or reviewer else "neither the signer, a peer, nor a reviewer above"


def appeal_invalid(c: Ctx) -> str | None:
    """47 申诉记录无效: target no ◆ step; appeal unknown or answered; signed at the wrong unit."""
    if c.type == "AppealLodged":
        target = _effect(c, c.body.get("against"))
        if target is None:
            return "against is not a disposition"
        same, above = _at_or_above(c, target)
        return None if same or above else "not at the approving unit or above"
    if c.type not in ("AppealReviewed", "AppealAnswered"):
        return None
    lodged = c.file.entry(str(c.body.get("appeal")))
    if lodged is None or lodged.type != "AppealLodged":
        return "appeal is not an AppealLodged"
    if any(e.type == "AppealAnswered" and e.body.get("appeal") == lodged.hash for e in c.file.entries):
        return "appeal already answered"
    if c.type == "AppealAnswered":
        return (
            None
            if c.signer is not None and c.signer.unit == signer_unit(c.world, lodged)
            else "not the lodging unit"
        )
    target = _effect(c, lodged.body.get("against"))
    if target is None:
        return "the appealed disposition is gone"
    same, above = _at_or_above(c, target)
    if c.body.get("kind") == "reconsideration":
        return None if same else "复议 belongs to the approving unit"
    return None if above else "复查 belongs to an ancestor of the approving unit"


def _basis_ok(c: Ctx, target: Entry) -> bool:
    basis = c.file.entry(str(c.body.get("basis")))
    if basis is None:
        return False
    if basis.type == "AppealReviewed" and basis.body.get("decision") == "revoke":
        appeal = c.file.entry(str(basis.body.get("appeal")))
        return appeal is not None and appeal.body.get("against") == target.hash
    return (
        basis.type == "LookBackReviewed"
        and basis.body.get("conclusion") == "revoke"
        and basis.body.get("target") == target.hash
    )


def _remedy_ok(c: Ctx) -> bool:
    review = c.file.entry(str(c.body.get("remedies")))
    if review is None or review.type != "LookBackReviewed" or review.body.get("conclusion") != "rectify":
        return False
    if any(e.type == "LookBackRectified" and e.body.get("lookback") == review.hash for e in c.file.entries):
        return False
    for deviation in review.body.get("deviations", ()):
        if c.type == "MaterialAttached" and deviation.get("material") == c.body.get("form"):
            return True
        if c.step_id is not None and deviation.get("step") == c.step_id:
            return True
    return False


def remedy_without_basis(c: Ctx) -> str | None:
    """48 纠正缺少依据: a revocation without a revoking appeal review or look-back, or a remedy not called for."""
    if c.type == "DispositionRevoked":
        target = _effect(c, c.body.get("target"))
        if target is None or not _basis_ok(c, target):
            return "no decision calls for this revocation"
        same, above = _at_or_above(c, target)
        department_above = above and c.signer is not None and "ODL" in c.signer.roles
        return None if same or department_above else "not at the approving unit or a department above"
    if c.remedial:
        return None if _remedy_ok(c) else "the look-back does not call for this remedy"
    return None


def lookback_target_invalid(c: Ctx) -> str | None:
    """49 回头看对象不是处置决定: the target is no ◆ step, or the reviewer sits elsewhere."""
    if c.type != "LookBackReviewed":
        return None
    target = _effect(c, c.body.get("target"))
    if target is None:
        return "target is not a disposition"
    same, above = _at_or_above(c, target)
    return None if same or above else "reviewer not at the approving unit or above"
