"""Procedure vocabularies: outcomes (处置结果), paths (处置程序), grounds (处置情形) and materials (所需材料).

Sources: procedures §2.0 (outcome table), §4 (paths and their grounds), §2.10 (materials of [000]).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from domain.codes import CodeList
from domain.fields import PathId as PathId  # the Literal of path ids lives beside Ref

Outcome = Literal[
    "normal_management", "retain_relation", "suspend_abroad", "correct_within_limit", "advise_withdrawal",
    "remove_after_refusal", "remove_lapsed", "remove_withdrawn", "cancel_probation", "suspend_uncontactable",
    "restore_membership", "extend_probation", "not_recognised",
]  # fmt: skip
OUTCOME: CodeList[str] = CodeList(
    "outcome",
    "处置结果",
    {
        "normal_management": "纳入党组织正常管理",
        "retain_relation": "保留组织关系",
        "suspend_abroad": "停止党籍（出国（境）定居）",
        "correct_within_limit": "限期改正",
        "advise_withdrawal": "劝退",
        "remove_after_refusal": "劝而不退除名",
        "remove_lapsed": "自行脱党除名",
        "remove_withdrawn": "退党除名",
        "cancel_probation": "取消预备党员资格",
        "suspend_uncontactable": "停止党籍（确定无法取得联系）",
        "restore_membership": "恢复党籍",
        "extend_probation": "延长预备期",
        "not_recognised": "不予承认党员资格",
    },
)

PATH: CodeList[str] = CodeList(
    "path",
    "处置程序",
    {
        "P0": "发现与查找（失控、失联、查找）",
        "P1": "纳入党组织正常管理",
        "P2": "保留组织关系（保留党籍）",
        "P3": "停止党籍（出国（境）定居）",
        "P4": "限期改正",
        "P5": "劝退，劝而不退除名",
        "P6": "自行脱党除名（已取得联系）",
        "P7": "自愿退党",
        "P8": "取消预备党员资格（已取得联系）",
        "P9": "停止党籍（确定无法取得联系）",
        "P10": "自行脱党除名（停止党籍满二年）",
        "P11": "取消预备党员资格（无法取得联系或出国（境）定居）",
        "PR": "恢复党籍",
        "PX": "延长预备期",
        "PN": "不予承认党员资格",
        "PT": "转移 / 补转组织关系",
        "PM": "流动党员证",
        "PA": "申诉",
        "PL": "回头看",
        "PH": "补录",
    },
)

#: The outcomes each disposition path may propose and decide (procedures §2.0).
PATH_OUTCOMES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "P1": frozenset({"normal_management"}),
        "P2": frozenset({"retain_relation"}),
        "P3": frozenset({"suspend_abroad"}),
        "P4": frozenset({"correct_within_limit"}),
        "P5": frozenset({"advise_withdrawal", "remove_after_refusal"}),
        "P6": frozenset({"remove_lapsed"}),
        "P7": frozenset({"remove_withdrawn"}),
        "P8": frozenset({"cancel_probation"}),
        "P9": frozenset({"suspend_uncontactable"}),
        "P10": frozenset({"remove_lapsed"}),
        "P11": frozenset({"cancel_probation"}),
        "PR": frozenset({"restore_membership"}),
        "PX": frozenset({"extend_probation"}),
        "PN": frozenset({"not_recognised"}),
    }
)

Ground = Literal[
    "threat", "no_change_after_correction", "lost_ideals", "insists_withdrawal", "ignores_membership",
    "refuses_dues_arrears", "delays_transfer", "absent_from_org_life", "settled_abroad", "uncontactable",
    "other", "irregular_admission", "no_admission_papers", "false_member",
]  # fmt: skip
GROUND: CodeList[str] = CodeList(
    "ground",
    "处置情形",
    {
        "threat": "以退党相要挟，经教育不改",
        "no_change_after_correction": "限期改正期满后仍无转变",
        "lost_ideals": "理想信念缺失、政治立场动摇，已经丧失党员条件",
        "insists_withdrawal": "因思想蜕化提出退党，经教育后仍然坚持退党",
        "ignores_membership": "对党员身份漠视",
        "refuses_dues_arrears": "拒绝补交党费",
        "delays_transfer": "长期拖延不转出",
        "absent_from_org_life": "仍然不参加组织生活",
        "settled_abroad": "出国（境）定居",
        "uncontactable": "无法取得联系",
        "other": "其他",
        "irregular_admission": "违规入党",
        "no_admission_papers": "无入党志愿书等入党材料",
        "false_member": "假党员",
    },
)

#: The ground codes each path accepts in ``CommitteeOpinionGiven.grounds`` (procedures §4.6–§4.15).
#: Paths in :data:`FREE_TEXT_GROUND_PATHS` take stated reasons as text; every other path lists none.
PATH_GROUNDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "P5": frozenset({"threat", "no_change_after_correction"}),
        "P6": frozenset({"lost_ideals", "insists_withdrawal"}),
        "P8": frozenset(
            {
                "ignores_membership",
                "refuses_dues_arrears",
                "delays_transfer",
                "absent_from_org_life",
                "settled_abroad",
                "other",
            }
        ),
        "P11": frozenset({"uncontactable", "settled_abroad"}),
        "PN": frozenset({"irregular_admission", "no_admission_papers", "false_member"}),
    }
)
FREE_TEXT_GROUND_PATHS = frozenset({"PX"})

Material = Literal[
    "recognition-form", "signed-application", "writeup", "abroad-form", "disposal-form",
    "withdrawal-application", "registration-form", "search-record", "suspension-register",
    "branch-resolution", "committee-resolution", "suspension-approval", "restoration-application", "other",
]  # fmt: skip
MATERIAL: CodeList[str] = CodeList(
    "material",
    "所需材料",
    {
        "recognition-form": "《恢复联系党员认定表》",
        "signed-application": "党员本人签名的申请",
        "writeup": "综合性写实材料（含调查核实情况）",
        "abroad-form": "《党员出国（境）保留组织关系（停止）党籍申请表》",
        "disposal-form": "《处置不合格党员审批表》",
        "withdrawal-application": "书面自愿退党申请书",
        "registration-form": "《党员基本情况登记表》",
        "search-record": "《与党组织失去联系党员联系查找情况记录表》",
        "suspension-register": "《与党组织失去联系停止党籍情况登记表》",
        "branch-resolution": "支部决议材料",
        "committee-resolution": "党委决议材料",
        "suspension-approval": "《停止党籍审批表》及有关记录",
        "restoration-application": "恢复党籍书面申请",
        "other": "其他有关材料",
    },
)
