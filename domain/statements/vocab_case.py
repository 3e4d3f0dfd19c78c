"""Field values of the campaign, member-data, search and investigation statements (procedures §2.2–§2.4).

Codes are English; labels are the Chinese terms of the seeds where they give one.
"""

from __future__ import annotations

from typing import Literal

from domain.codes import CodeList

CampaignPhase = Literal["study_deploy", "central_review", "disposition", "consolidation"]
CAMPAIGN_PHASE: CodeList[str] = CodeList(
    "campaign_phase",
    "集中排查阶段",
    {
        "study_deploy": "学习部署",
        "central_review": "集中排查",
        "disposition": "规范处置",
        "consolidation": "总结巩固",
    },
)

Verification = Literal["verified", "corrected", "flagged_incomplete"]
VERIFICATION: CodeList[str] = CodeList(
    "verification",
    "核查结果",
    {"verified": "核实无误", "corrected": "更正", "flagged_incomplete": "标记待完善"},
)

ParticipationKind = Literal["org_life", "dues", "assigned_work"]
PARTICIPATION_KIND: CodeList[str] = CodeList(
    "participation_kind",
    "参加组织生活情况",
    {"org_life": "参加党的组织生活", "dues": "交纳党费", "assigned_work": "做党所分配的工作"},
)

Purpose = Literal["work", "study", "business", "residence", "other"]
PURPOSE: CodeList[str] = CodeList(
    "purpose",
    "外出事由",
    {"work": "工作", "study": "学习（留学）", "business": "经商", "residence": "居住", "other": "其他"},
)

TransferNature = Literal["permanent", "temporary"]
TRANSFER_NATURE: CodeList[str] = CodeList(
    "transfer_nature", "党组织关系变化性质", {"permanent": "永久转出", "temporary": "临时转出"}
)

OpinionLevel = Literal["branch", "general_branch", "grassroots_committee"]
OPINION_LEVEL: CodeList[str] = CodeList(
    "opinion_level",
    "登记表审核意见",
    {
        "branch": "党支部意见",
        "general_branch": "党总支审核意见",
        "grassroots_committee": "基层党（工）委审核意见",
    },
)

SearchMethod = Literal["direct", "acquaintance", "department", "other"]
SEARCH_METHOD: CodeList[str] = CodeList(
    "search_method",
    "查找方式",
    {"direct": "直接联系", "acquaintance": "人际查找", "department": "部门查找", "other": "其他方式"},
)

SearchResult = Literal["no_trace", "lead", "contact_made", "reported_dead", "settled_abroad_established"]
SEARCH_RESULT: CodeList[str] = CodeList(
    "search_result",
    "查找结果",
    {
        "no_trace": "未查到线索",
        "lead": "获得线索",
        "contact_made": "取得联系",
        "reported_dead": "获悉已死亡",
        "settled_abroad_established": "查实已出国（境）定居",
    },
)

AttestationCapacity = Literal["searcher", "witness"]
ATTESTATION_CAPACITY: CodeList[str] = CodeList(
    "attestation_capacity", "共同签署身份", {"searcher": "查找人", "witness": "证明人"}
)

ContactVia = Literal["search", "member_initiative", "third_party"]
CONTACT_VIA: CodeList[str] = CodeList(
    "contact_via",
    "取得联系途径",
    {"search": "经查找取得联系", "member_initiative": "本人主动联系", "third_party": "经他人转告"},
)

UncontactableProposal = Literal["suspend_uncontactable", "cancel_probation", "suspend_abroad"]

DeathSource = Literal["household_register", "family", "hospital", "other"]
DEATH_SOURCE: CodeList[str] = CodeList(
    "death_source",
    "死亡信息来源",
    {"household_register": "户籍信息", "family": "家属告知", "hospital": "医疗机构证明", "other": "其他"},
)

CheckKind = Literal[
    "self_statement", "employer_letter", "residence_org_letter", "discipline_check", "police_check",
    "file_check", "other",
]  # fmt: skip
CHECK_KIND: CodeList[str] = CodeList(
    "check_kind",
    "调查核实方式",
    {
        "self_statement": "本人情况说明",
        "employer_letter": "函询工作单位",
        "residence_org_letter": "函询居住地党组织",
        "discipline_check": "向纪检机关了解",
        "police_check": "向公安机关了解",
        "file_check": "档案核查",
        "other": "其他",
    },
)

Finding = Literal["no_issue", "unqualified_conduct", "violation_suspected", "no_reply", "file_defect"]
FINDING: CodeList[str] = CodeList(
    "finding",
    "调查核实结论",
    {
        "no_issue": "无不合格表现或违纪违法行为",
        "unqualified_conduct": "有不合格表现",
        "violation_suspected": "有违纪违法线索",
        "no_reply": "未获答复",
        "file_defect": "档案材料缺失或身份存疑",
    },
)

Criterion = Literal[
    "ideals_lacking", "political_stance_wavering", "purpose_weak", "work_passive", "discipline_lax",
    "conduct_improper",
]  # fmt: skip
#: The six criteria of an unqualified member (不合格党员, 中组发〔2014〕21号 as quoted in [004] task 4).
CRITERION: CodeList[str] = CodeList(
    "criterion",
    "不合格党员表现",
    {
        "ideals_lacking": "理想信念缺失",
        "political_stance_wavering": "政治立场动摇",
        "purpose_weak": "宗旨观念淡薄",
        "work_passive": "工作消极懈怠",
        "discipline_lax": "组织纪律散漫",
        "conduct_improper": "道德行为不端",
    },
)

TalkKind = Literal["verification", "education", "heart_to_heart", "departure", "return"]
TALK_KIND: CodeList[str] = CodeList(
    "talk_kind",
    "谈话类型",
    {
        "verification": "与本人谈话",
        "education": "谈话教育",
        "heart_to_heart": "谈心谈话",
        "departure": "离开前谈话",
        "return": "回归谈话",
    },
)

Attitude = Literal[
    "recognises_problem", "willing_to_participate", "wants_to_stay", "willing_to_correct",
    "threatens_withdrawal", "insists_withdrawal", "refuses_education",
]  # fmt: skip
ATTITUDE: CodeList[str] = CodeList(
    "attitude",
    "本人态度",
    {
        "recognises_problem": "能够正确认识失联问题",
        "willing_to_participate": "愿意按时参加党的组织生活、履行党员义务",
        "wants_to_stay": "有继续留在党内的意愿",
        "willing_to_correct": "愿意接受教育并决心改正",
        "threatens_withdrawal": "以退党相要挟",
        "insists_withdrawal": "坚持退党",
        "refuses_education": "拒绝接受教育",
    },
)

ReferralTarget = Literal["discipline_inspection", "public_security", "other"]
REFERRAL_TARGET: CodeList[str] = CodeList(
    "referral_target",
    "移送机关",
    {"discipline_inspection": "纪检机关", "public_security": "公安机关", "other": "其他"},
)

Sanction = Literal["warning", "serious_warning", "removal_from_post", "probation_in_party", "expulsion"]
SANCTION: CodeList[str] = CodeList(
    "sanction",
    "党纪处分",
    {
        "warning": "警告",
        "serious_warning": "严重警告",
        "removal_from_post": "撤销党内职务",
        "probation_in_party": "留党察看",
        "expulsion": "开除党籍",
    },
)
