"""Side procedures without `ref` (§4.16–§4.20): PT transfers, PM 流动党员证, PA appeals, PL 回头看,
PH 补录."""

from __future__ import annotations

from domain.procedures.build import step
from domain.procedures.model import ANY, Procedure

CERTIFICATE = "MobileCertificateIssued"

PT = Procedure(
    id="PT",
    name_zh="转移 / 补转组织关系",
    name_en="Transfer or re-issue the relation",
    seeds=("[001] 二.2", "[002] 四", "[002] 八", "[004] task 3 (1)(3)"),
    uses_ref=False,
    start="NORMAL (a re-contacted member reaches it through P1)",
    notes=("The receiving branch signs PT.2 although the member is outside its subtree until then.",),
    steps=(
        step("PT.1", "开具介绍信", "issue the letter", "B:SEC; C:CST", "RelationTransferred",
             cond=("`four_clear` complete",), notes="transfer pending"),
        step("PT.1r", "补转", "re-issue after identity is verified", "B:SEC; C:CST", "TransferReissued",
             cond=("an earlier letter lost, expired or unreceived",)),
        step("PT.2", "接收 / 回执", "received / receipt", "R:SEC; B:SEC", "RelationReceived",
             pre_="PT.1 or PT.1r", cond=("the `letter_no` of PT.1 or PT.1r",),
             notes="inside: `home` changes; outside: TRANSFERRED_OUT with the `receipt`"),
        step("PT.3", "标记口袋党员", "flag as pocket member", "B:SEC/BST", "PocketMemberFlagged",
             cond=("no PT.2 by `valid_until`",), c=True, notes="whereabouts unknown: OUT_OF_CONTROL"),
    ),
)  # fmt: skip
"""PT: transfer of the organisational relation, re-issue, receipt, 口袋 flag."""

PM = Procedure(
    id="PM",
    name_zh="流动党员证",
    name_en="Mobile member certificate",
    seeds=("[003] step 17", "[004] task 3 (2)"),
    uses_ref=False,
    start="NORMAL with mobility on record",
    steps=(
        step("PM.1", "发放《流动党员证》", "issue the certificate", "B:SEC; C:CST", CERTIFICATE),
        step("PM.2", "缴验或换发", "check or renew", "B:SEC; C:CST", CERTIFICATE, pre_="PM.1",
             cond=("same `certificate_no`, new `valid_until`",), rep=True),
    ),
)  # fmt: skip
"""PM: 流动党员证 issued and checked."""

PA = Procedure(
    id="PA",
    name_zh="申诉",
    name_en="Appeal",
    seeds=("[001] 三 (last paragraph)", "forms §6.4"),
    uses_ref=False,
    start="a ◆ step of this member; the appeal does not suspend the disposition [inferred]",
    notes=("After a revocation the branch starts a fresh path from the restored state.",),
    steps=(
        step("PA.1", "受理申诉", "receive the appeal", "A:APH", "AppealLodged", cond=("target is a ◆ step",),
             guards=(47,), notes="the appeal letter is the `letter`"),
        step("PA.2", "复议 / 复查", "reconsideration / re-examination", "A:APH", "AppealReviewed",
             pre_="PA.1", guards=(47,), notes="复议 at the approving unit, 复查 at an ancestor"),
        step("PA.3", "撤销原处置", "revoke the disposition", "A:CSEC/ODL", "DispositionRevoked",
             pre_="PA.2 revoke", guards=(48,), notes="back to the state before the ◆ step"),
        step("PA.4", "答复本人", "answer the member", "A:APH", "AppealAnswered", pre_="PA.2",
             cond=("PA.3 too when revoked", "signed at the PA.1 unit"), guards=(47,)),
    ),
)  # fmt: skip
"""PA: appeals under the 党员权利保障条例."""

PL = Procedure(
    id="PL",
    name_zh="回头看",
    name_en="Look-back review",
    seeds=("[001] 五.3",),
    uses_ref=False,
    start="a ◆ step (in practice those effective before `lookback_scope_before`)",
    steps=(
        step("PL.1", "回头看审核（四个是否）", "look-back review (four questions)", "A:REV",
             "LookBackReviewed",             cond=("target is ◆",), guards=(49,)),
        step("PL.2a", "补充材料", "supplement materials", f"=:{ANY}", "MaterialAttached", pre_="PL.1 rectify",
             cond=("carries `remedies`",), guards=(48,), rep=True, notes="the missing material code"),
        step("PL.2b", "补办手续", "remedial step", f"=:{ANY}", ANY, pre_="PL.1 rectify",
             cond=("PL.1 lists that step as step-missing", "`ref` of the old instance, `remedies`"),
             guards=(48,), rep=True, notes="the missing step's own type; effective date unchanged"),
        step("PL.2c", "撤销纠正", "revoke", "A:CSEC/ODL", "DispositionRevoked", pre_="PL.1 revoke",
             guards=(48,)),
        step("PL.3", "整改完成", "rectification done", "A:REV", "LookBackRectified", pre_="PL.1",
             cond=("every listed deviation has a remedy or the revocation",)),
    ),
)  # fmt: skip
"""PL: 回头看 and its corrections."""

PH = Procedure(
    id="PH",
    name_zh="补录",
    name_en="Historical paper records",
    seeds=(),
    uses_ref=False,
    start="a stream without live case statements (guard 2)",
    steps=(
        step("PH.1", "补录纸质记录", "enter paper records", "B:SEC/BST; C:CST; D:ODS",
             "HistoricalRecordEntered", cond=("scans as `sources`",), guards=(1, 2, 3, 4), rep=True,
             notes="the state changes as the wrapped record would change it (§5.4)"),
    ),
)  # fmt: skip
"""PH: paper records entered after the fact."""
