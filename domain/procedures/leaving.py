"""Contacted members who leave (出党处置): P5 劝退, P6 自行脱党除名, P7 自愿退党, P8 取消预备 (§4.6–§4.9)."""

from __future__ import annotations

from domain.levels import Level
from domain.procedures.build import guidance, guidance_switch, procedure, step
from domain.procedures.model import MemberScope
from domain.procedures.search import INV_SIGNERS

SIGNATURE_EXCUSES = {"reason": ("refused", "illness", "other")}
"""P5, P6: 拒不签字或因故不能签字 ([000] r5–r6, [001] 三.3(3); [C5])."""
SIGNED = "MemberSigned SignatureRefusalNoted"
INV_AND_TALKS = "ConductInvestigated ViolationReferred TalkHeld"
MEETING = "GeneralMeetingResolved"
REMOVAL_MATERIALS = "disposal-form writeup branch-resolution"

P5 = procedure(
    "P5", "劝退，劝而不退除名", "Advise withdrawal; remove after refusal",
    ("[000] r5", "[001] 三.2 (3)(4)", "[001] 三.3"), conflicts=("C4", "C5", "C14"),
    outcomes=("advise_withdrawal", "remove_after_refusal"), approving_level=Level.D,
    applies_to=MemberScope.FULL,
    start="CONTACTED (also `suspended`) for P5.1; ADVISED from P5.10", column="H",
    notes=("Pre-reviews are not repeated for the removal round; D's approval of the removal remains "
           "required (党章 as quoted in [004]) [inferred].",
           "Afterwards `EducationSupportRecorded` (care) may follow ([001] 三.3(5))."),
    steps=(
        step("P5.0", "核实情况 + 谈话", "INV and talks", INV_SIGNERS, INV_AND_TALKS,
             cond=("threat: an education talk after the threatening one still shows threatens_withdrawal",
                   "no_change_after_correction: P4.11 not_changed"), c=True),
        step("P5.1", "支委会初步处置意见", "committee's initial opinion", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="advise_withdrawal", pre_="P5.0", mats="writeup", guards=(21, 22, 25)),
        step("P5.2", "基层党委预审（审核意见）", "C pre-review", "C:CSEC", "PreReviewed", result="agree",
             pre_="P5.1", mats="writeup disposal-form", skip_bc=True),
        step("P5.3", "上一级组织部门预审", "D pre-review", "D:ODL", "PreReviewed", result="agree",
             pre_="P5.2 agree", mats="writeup disposal-form"),
        guidance("P5.4", "P5.5"),
        step("P5.5", "党员大会表决（劝退）", "general meeting votes 劝退", "B.gm:SEC", MEETING,
             outcome="advise_withdrawal", result="passed", pre_="P5.3 agree", guards=(27,)),
        step("P5.6", "本人签字或注明", "member signs, or the refusal is noted", "B:SEC", SIGNED,
             choices=SIGNATURE_EXCUSES, pre_="P5.5 passed", guards=(34,)),
        step("P5.7", "基层党委审核意见", "C reviews the resolution", "C:CSEC", "Reviewed",
             fixed={"subject": "resolution"}, result="agree", pre_="P5.4, P5.6", mats="branch-resolution",
             guards=(32, 33)),
        step("P5.8", "上一级组织部门审批", "D approves", "D:ODL", "Approved", outcome="advise_withdrawal",
             pre_="P5.7 agree", mats="disposal-form writeup branch-resolution"),
        step("P5.9", "劝其退党", "advise withdrawal", "B:SEC/BCM", "WithdrawalAdvised", pre_="P5.8",
             cond=("answer_due = occurred_at + withdrawal_answer_days",)),
        step("P5.10", "本人答复", "member's answer", "B:SEC", "WithdrawalAdviceAnswered", result="accepts",
             pre_="P5.9", cond=("no_answer only on or after answer_due",), guards=(35,), effect=True,
             notes="◆ only when the member accepts (the written withdrawal is the `statement`)"),
        guidance("P5.11a", "P5.11"),
        step("P5.11", "党员大会决定除名", "general meeting decides removal", "B.gm:SEC", MEETING,
             outcome="remove_after_refusal", result="passed", pre_="P5.10 refuses/no_answer",
             guards=(27, 35)),
        step("P5.12", "本人签字或注明", "member signs, or the refusal is noted", "B:SEC", SIGNED,
             choices=SIGNATURE_EXCUSES, pre_="P5.11 passed", guards=(34,)),
        step("P5.13", "基层党委审核意见", "C reviews the resolution", "C:CSEC", "Reviewed",
             fixed={"subject": "resolution"}, result="agree", pre_="P5.11a, P5.12", mats="branch-resolution",
             guards=(32, 33)),
        step("P5.14", "上一级组织部门审批除名", "D approves removal", "D:ODL", "Approved",
             outcome="remove_after_refusal", pre_="P5.13 agree", mats=REMOVAL_MATERIALS, effect=True),
        step("P5.15", "通知并宣布", "notify and announce", "B:SEC", "MemberNotified Announced",
             pre_="P5.10 accepts or P5.14", guards=(44,)),
    ),
)  # fmt: skip
"""P5: 劝退, and 劝而不退除名 when the member refuses."""

P6 = procedure(
    "P6", "自行脱党除名（已取得联系）", "Removal as lapsed (contacted)",
    ("[000] r6", "[001] 三.2 (1)(2)", "[001] 三.3"), conflicts=("C4", "C5", "C8", "C14"),
    outcomes=("remove_lapsed",), approving_level=Level.D, applies_to=MemberScope.FULL,
    start="CONTACTED (also `suspended`)", column="I",
    steps=(
        step("P6.0", "核实情况 + 谈话", "INV and talks", INV_SIGNERS, INV_AND_TALKS,
             cond=("the ground (lost_ideals or insists_withdrawal)",), c=True),
        step("P6.1", "支委会初步处置意见", "committee's initial opinion", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="remove_lapsed", pre_="P6.0", mats="writeup", guards=(21, 22, 25)),
        step("P6.2", "基层党委预审（审核意见）", "C pre-review", "C:CSEC", "PreReviewed", result="agree",
             pre_="P6.1", mats="writeup disposal-form", skip_bc=True),
        step("P6.3", "上一级组织部门预审", "D pre-review", "D:ODL", "PreReviewed", result="agree",
             pre_="P6.2 agree", mats="writeup disposal-form"),
        guidance("P6.4", "P6.5"),
        step("P6.5", "党员大会表决", "general meeting votes", "B.gm:SEC", "GeneralMeetingResolved",
             outcome="remove_lapsed", result="passed", pre_="P6.3 agree", guards=(27,)),
        step("P6.6", "本人签字或注明", "member signs, or the refusal is noted", "B:SEC", SIGNED,
             choices=SIGNATURE_EXCUSES, pre_="P6.5 passed", guards=(34,)),
        step("P6.7", "基层党委审核意见", "C reviews the resolution", "C:CSEC", "Reviewed",
             fixed={"subject": "resolution"}, result="agree", pre_="P6.4, P6.6", mats="branch-resolution",
             guards=(32, 33)),
        step("P6.8", "上一级组织部门审批", "D approves", "D:ODL", "Approved", outcome="remove_lapsed",
             pre_="P6.7 agree", mats="disposal-form writeup branch-resolution", effect=True),
        step("P6.9", "通知本人", "notify the member", "B:SEC/BCM", "MemberNotified", pre_="P6.8"),
        step("P6.10", "以适当方式宣布", "announce suitably", "B:SEC", "Announced", pre_="P6.8", guards=(44,)),
    ),
)  # fmt: skip
"""P6: 自行脱党除名 of a contacted member."""

P7 = procedure(
    "P7", "自愿退党", "Voluntary withdrawal", ("[000] r7", "[001] 三 (退党 paragraph)", "[004] task 4 (1)"),
    conflicts=("C8",), outcomes=("remove_withdrawn",), approving_level=None, filing_level=Level.C,
    applies_to=MemberScope.BOTH,
    start="CONTACTED or CORRECTING (also `suspended`); either member type [inferred]",
    column="J", notes=("The meeting decides (◆); C only receives the filing.",),
    steps=(
        step("P7.0", "书面退党申请", "written withdrawal application", "B:SEC/BST", "WithdrawalApplied",
             cond=("the member's signed paper",), mats="withdrawal-application", c=True),
        step("P7.1", "支部大会讨论，批准并除名", "general meeting approves and removes", "B.gm:SEC",
             "GeneralMeetingResolved", outcome="remove_withdrawn", result="passed", pre_="P7.0",
             mats="withdrawal-application registration-form", guards=(22,), effect=True),
        step("P7.2", "通知本人", "notify the member", "B:SEC/BCM", "MemberNotified", pre_="P7.1",
             notes="[inferred]"),
        step("P7.3", "报基层党委备案", "filing with C", "C:CST/CSEC", "Filed",
             fixed={"filed_kind": "withdrawal"},
             pre_="P7.1 passed", mats="branch-resolution withdrawal-application registration-form"),
    ),
)  # fmt: skip
"""P7: 自愿退党, decided by the branch general meeting."""

P8 = procedure(
    "P8", "取消预备党员资格（已取得联系）", "Cancel probation (contacted)",
    ("[000] r8", "[001] 二.4", "[001] 四.2", "[004] task 4 (4)"), conflicts=("C6",),
    outcomes=("cancel_probation",), approving_level=Level.C, applies_to=MemberScope.PROBATIONARY,
    start="CONTACTED", column="L", switches=(guidance_switch("P8", "P8.2a", "P8.3"),),
    steps=(
        step("P8.1", "支委会意见", "committee opinion", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="cancel_probation", cond=("`grounds`",), mats="writeup", guards=(22, 25),
             notes="[inferred: 附件4 box 13]"),
        guidance("P8.2a", "P8.2", opt=True),
        step("P8.2", "支部大会讨论通过", "general meeting passes it", "B.gm:SEC", "GeneralMeetingResolved",
             outcome="cancel_probation", result="passed", pre_="P8.1"),
        step("P8.3", "基层党委批准", "C approves", "C:CSEC", "Approved", outcome="cancel_probation",
             pre_="P8.2 passed", mats="disposal-form writeup branch-resolution", effect=True),
        step("P8.4", "通知本人", "notify the member", "B:SEC/BCM", "MemberNotified", pre_="P8.3"),
    ),
)  # fmt: skip
"""P8: a contacted probationary member's probation is cancelled."""
