"""A compact notation for writing §4 tables, close to how the page prints them.

- signers: `"B:BST/BCM/SEC; C:CST; D+:ODS"` (level symbol, colon, roles; `;` between levels);
- statements: `"MemberSigned SignatureRefusalNoted"` (space-separated types);
- pre: `"P4.3, P4.5"` (all required), `"P5.10 accepts or P5.14"` (either one),
  `"P5.10 refuses/no_answer"` (with one of these results);
- materials: `"writeup disposal-form"`, with `code@contacted`, `code@not_contacted` or `code@<step id>`.

`procedure` also adds the optional 党总支 review before each C decision of a path (§4.0 GB rule) and the
switch that makes those reviews required (`general_branch_review_required`).
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.levels import Level
from domain.procedures.model import BodyValue, Material, MemberScope, Pre, PreAlt, Procedure, Signer, Step
from domain.procedures.switches import AddGuard, RequireStep, Switch, When

GB_REVIEWED = frozenset({"PreReviewed", "Reviewed", "Approved"})
"""C decisions that a 党总支 may review first (§4.0)."""


def signers(text: str) -> tuple[Signer, ...]:
    """Parse `"B:SEC/BCM; C:CST"`."""
    parts = (chunk.split(":") for chunk in text.split(";"))
    return tuple(Signer(Level(level.strip()), tuple(roles.strip().split("/"))) for level, roles in parts)


def pre(text: str) -> tuple[Pre, ...]:
    """Parse `"P5.10 accepts or P5.14, P5.9"`."""
    groups = (group.split(" or ") for group in text.split(",") if group.strip())
    return tuple(Pre(tuple(_alt(alt) for alt in group)) for group in groups)


def _alt(text: str) -> PreAlt:
    step_id, *results = text.split()
    return PreAlt(step_id, tuple(results[0].split("/")) if results else ())


def materials(text: str) -> tuple[Material, ...]:
    """Parse `"abroad-form@contacted writeup@not_contacted branch-resolution@P3.2"`."""
    out = []
    for token in text.split():
        code, _, when = token.partition("@")
        contacted = {"contacted": True, "not_contacted": False}.get(when)
        with_step = when if when and contacted is None else None
        out.append(Material(code, contacted, with_step))
    return tuple(out)


def step(
    step_id: str,
    name_zh: str,
    name_en: str,
    signed: str,
    statements: str,
    *,
    pre_: str = "",
    mats: str = "",
    cond: tuple[str, ...] = (),
    outcome: str | None = None,
    result: str | None = None,
    fixed: Mapping[str, BodyValue] | None = None,
    choices: Mapping[str, tuple[str, ...]] | None = None,
    guards: tuple[int, ...] = (),
    c: bool = False,
    rep: bool = False,
    opt: bool = False,
    effect: bool = False,
    skip_bc: bool = False,
    gb_for: str | None = None,
    notes: str = "",
) -> Step:
    """One table row in the compact notation; `c`, `rep`, `opt`, `effect` are the §4.0 marks."""
    return Step(
        id=step_id,
        name_zh=name_zh,
        name_en=name_en,
        signers=signers(signed),
        statements=tuple(statements.split()),
        outcome=outcome,
        fixed=dict(fixed or {}),
        result=result,
        choices=dict(choices or {}),
        pre=pre(pre_),
        conditions=cond,
        materials=materials(mats),
        guards=tuple(sorted(guards)),
        case_level=c,
        repeatable=rep,
        optional=opt,
        effect=effect,
        skip_when_b_is_c=skip_bc,
        gb_for=gb_for,
        notes=notes,
    )


def guidance(step_id: str, meeting: str, *, opt: bool = False) -> Step:
    """C sends someone to guide the branch meeting `meeting` (派人到会指导)."""
    return step(
        step_id,
        "基层党委派人到会指导",
        "C sends a guide to the meeting",
        "C.rep:CSEC/CMEM/CST",
        "GuidanceAttended",
        cond=(f"meeting_date = {meeting} occurred_at",),
        opt=opt,
        guards=(42,),
        notes="[inferred step id: required only under `guidance_required_paths`]" if opt else "",
    )


def _gb_review(c_step: Step, earlier: list[Step]) -> Step:
    subject = c_step.fixed.get("subject")
    if subject is None:
        after_meeting = any("GeneralMeetingResolved" in s.statements for s in earlier)
        subject = "resolution" if c_step.statements[0] == "Approved" and after_meeting else "proposal"
    return Step(
        id=f"{c_step.id}g",
        name_zh="党总支审核",
        name_en="GB review",
        signers=(Signer(Level.GB, ("GBS",)),),
        statements=("Reviewed",),
        fixed={"subject": subject},
        result="agree",
        pre=c_step.pre,
        optional=True,
        gb_for=c_step.id,
        notes="[inferred from the 党总支审核意见 block of the 登记表, [003]]",
    )


def with_gb_reviews(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Insert an optional GB review before each C decision that has none yet (§4.0)."""
    explicit = {s.gb_for for s in steps if s.gb_for}
    out: list[Step] = []
    for s in steps:
        is_c_decision = s.signers == (Signer(Level.C, ("CSEC",)),) and s.statements[0] in GB_REVIEWED
        if is_c_decision and not s.case_level and s.id not in explicit:
            out.append(_gb_review(s, out))
        out.append(s)
    return tuple(out)


def gb_switches(steps: tuple[Step, ...]) -> tuple[Switch, ...]:
    """`general_branch_review_required`: every GB review becomes a pre of its C step (no switch when none)."""
    actions = tuple(RequireStep(s.id, s.gb_for) for s in steps if s.gb_for)
    return (
        (Switch((When("general_branch_review_required", True),), actions, "where a GB exists"),)
        if actions
        else ()
    )


def procedure(
    proc_id: str,
    name_zh: str,
    name_en: str,
    seeds: tuple[str, ...],
    steps: tuple[Step, ...],
    *,
    outcomes: tuple[str, ...],
    approving_level: Level | None,
    applies_to: MemberScope,
    start: str,
    column: str,
    conflicts: tuple[str, ...] = (),
    filing_level: Level | None = None,
    switches: tuple[Switch, ...] = (),
    notes: tuple[str, ...] = (),
) -> Procedure:
    """A disposition path (its statements carry `ref`): the table plus the GB reviews and their switch."""
    full = with_gb_reviews(steps)
    return Procedure(
        id=proc_id,
        name_zh=name_zh,
        name_en=name_en,
        seeds=seeds,
        steps=full,
        outcomes=outcomes,
        conflicts=conflicts,
        approving_level=approving_level,
        filing_level=filing_level,
        applies_to=applies_to,
        start=start,
        column=column,
        uses_ref=True,
        switches=(*switches, *gb_switches(full)),
        notes=notes,
    )


def guidance_switch(path: str, guide: str, before: str) -> Switch:
    """`guidance_required_paths` ∋ path: the optional guidance step becomes a pre of the C step (guard 32)."""
    actions = (RequireStep(guide, before), AddGuard(before, 32))
    return Switch((When("guidance_required_paths", path, contains=True),), actions)
