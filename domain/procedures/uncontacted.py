"""Members still uncontactable: P9 停止党籍, P10 自行脱党除名（满二年）, P11 取消预备 (§4.10–§4.12)."""

from __future__ import annotations

from domain.levels import Level
from domain.procedures.build import guidance, guidance_switch, procedure, step
from domain.procedures.model import MemberScope
from domain.procedures.search import SEARCH_SIGNERS
from domain.procedures.switches import AddPre, DropGuard, DropMaterial, DropPre, DropStep, Switch, When

OPINION = "CommitteeOpinionGiven"

P9 = procedure(
    "P9", "停止党籍（确定无法取得联系）", "Suspension, uncontactable", ("[000] r9", "[001] 四.1"),
    outcomes=("suspend_uncontactable",), approving_level=Level.C, filing_level=Level.D,
    applies_to=MemberScope.FULL, start="LOST_UNCONTACTABLE after P0.8 agree", column="T",
    switches=(guidance_switch("P9", "P9.2a", "P9.3"),),
    notes=("The case stays open (SUSPENDED_UNCONTACTABLE) until P10, PR or revocation.",
           "A member abroad whom no search reaches takes P9 with `abroad` recorded ([001] 四.1)."),
    steps=(
        step("P9.1", "支委会意见", "committee opinion", "B.cm:SEC", OPINION,
             outcome="suspend_uncontactable", fixed={"member_unreachable": True}, pre_="P0.7b, P0.8 agree",
             mats="search-record writeup", guards=(22,),
             notes="[inferred: 记录表 支委会意见, 附件4 box 13]"),
        guidance("P9.2a", "P9.2", opt=True),
        step("P9.2", "党员大会作出停止党籍决定", "general meeting decides suspension", "B.gm:SEC",
             "GeneralMeetingResolved", outcome="suspend_uncontactable", result="passed", pre_="P9.1"),
        step("P9.3", "基层党委审批", "C approves", "C:CSEC", "Approved", outcome="suspend_uncontactable",
             pre_="P9.2 passed", mats="search-record suspension-register writeup branch-resolution",
             effect=True, notes="the 2-year clock starts (§5.3)"),
        step("P9.4", "报上一级组织部门备案", "filing with D", "D:ODS/ODL", "Filed",
             fixed={"filed_kind": "suspension"}, pre_="P9.3", mats="committee-resolution",
             notes="with the P9.3 list of materials"),
    ),
)  # fmt: skip
"""P9: suspension of a member who truly cannot be reached."""

DIRECT_LAPSE = Switch(
    (When("direct_lapse_removal_allowed", True),),
    (DropStep("P10.0"), DropGuard("P10.1", 39), AddPre("P10.1", "P0.8", ("agree",)),
     DropMaterial("P10.8", "suspension-approval")),
    "[C3]: removal without suspension; guard 20 keeps its first rule",
)  # fmt: skip
"""[C3] under `direct_lapse_removal_allowed`: no search during suspension, no 2-year window, no P9 records."""

NO_SEARCH_DURING_SUSPENSION = Switch(
    (When("p10_requires_search_during_suspension", False), When("direct_lapse_removal_allowed", False)),
    (DropPre("P10.1", "P10.0"), DropGuard("P10.1", 20)),
    "[C9]",
)
"""[C9] off: P10.1 no longer needs a search attempt dated during the suspension."""

P10 = procedure(
    "P10", "自行脱党除名（停止党籍满二年）", "Removal as lapsed after two years' suspension",
    ("[000] r10 (→ r6)", "[001] 四.1"), conflicts=("C3", "C5", "C9"), outcomes=("remove_lapsed",),
    approving_level=Level.D, applies_to=MemberScope.FULL, column="Q",
    start="SUSPENDED_UNCONTACTABLE (LOST_UNCONTACTABLE after P0.8 agree only when "
          "`direct_lapse_removal_allowed`)",
    switches=(DIRECT_LAPSE, NO_SEARCH_DURING_SUSPENSION),
    notes=("The talk and notification of r6 cannot happen; the signature step records the reason instead.",),
    steps=(
        step("P10.0", "停止党籍期间继续查找", "search on during suspension", SEARCH_SIGNERS,
             "SearchAttemptRecorded Attested", cond=("dated on or after the clock start",), guards=(18, 19),
             c=True, rep=True),
        step("P10.1", "支委会初步处置意见", "committee's initial opinion", "B.cm:SEC", OPINION,
             outcome="remove_lapsed", fixed={"member_unreachable": True}, pre_="P10.0",
             cond=("occurred_at ≥ window end",), mats="writeup", guards=(20, 22, 39)),
        step("P10.2", "基层党委预审（审核意见）", "C pre-review", "C:CSEC", "PreReviewed", result="agree",
             pre_="P10.1", mats="writeup disposal-form", skip_bc=True),
        step("P10.3", "上一级组织部门预审", "D pre-review", "D:ODL", "PreReviewed", result="agree",
             pre_="P10.2 agree", mats="writeup disposal-form"),
        guidance("P10.4", "P10.5"),
        step("P10.5", "党员大会表决", "general meeting votes", "B.gm:SEC", "GeneralMeetingResolved",
             outcome="remove_lapsed", result="passed", pre_="P10.3 agree", guards=(27,)),
        step("P10.6", "无法签字的注明", "note: member unreachable", "B:SEC", "SignatureRefusalNoted",
             choices={"reason": ("unreachable",)}, pre_="P10.5 passed",
             guards=(34,)),
        step("P10.7", "基层党委审核意见", "C reviews the resolution", "C:CSEC", "Reviewed",
             fixed={"subject": "resolution"}, result="agree", pre_="P10.4, P10.6", mats="branch-resolution",
             guards=(32, 33)),
        step("P10.8", "上一级组织部门审批", "D approves", "D:ODL", "Approved", outcome="remove_lapsed",
             pre_="P10.7 agree", mats="search-record suspension-approval disposal-form writeup", effect=True),
        step("P10.9", "以适当方式宣布", "announce suitably", "B:SEC", "Announced", pre_="P10.8",
             guards=(44,)),
    ),
)  # fmt: skip
"""P10: 自行脱党除名 after two years of suspension (the procedure of [000] r6, [C9])."""

P11 = procedure(
    "P11", "取消预备党员资格（无法取得联系或出国（境）定居）", "Cancel probation (not contacted)",
    ("[000] r11 (→ r8)", "[001] 四.2"), conflicts=("C11",), outcomes=("cancel_probation",),
    approving_level=Level.C, applies_to=MemberScope.PROBATIONARY, start="LOST_UNCONTACTABLE after P0.8 agree",
    column="R", switches=(guidance_switch("P11", "P11.2a", "P11.3"),),
    steps=(
        step("P11.1", "支委会意见", "committee opinion", "B.cm:SEC", OPINION,
             outcome="cancel_probation", fixed={"member_unreachable": True}, pre_="P0.8 agree",
             mats="search-record writeup", guards=(22, 25)),
        guidance("P11.2a", "P11.2", opt=True),
        step("P11.2", "支部大会讨论通过", "general meeting passes it", "B.gm:SEC", "GeneralMeetingResolved",
             outcome="cancel_probation", result="passed", pre_="P11.1"),
        step("P11.3", "基层党委批准", "C approves", "C:CSEC", "Approved", outcome="cancel_probation",
             pre_="P11.2 passed", mats="search-record writeup", effect=True, notes="case closes"),
    ),
)  # fmt: skip
"""P11: probation cancelled for an uncontactable or emigrated probationary member."""
