"""Field values of the procedure steps, path acts, appeals and look-back (procedures §2.5–§2.8).

Codes are English; labels are the Chinese terms of the seeds where they give one.
"""

from __future__ import annotations

from typing import Literal

from domain.codes import CodeList

ReviewResult = Literal["agree", "disagree", "return"]
REVIEW_RESULT: CodeList[str] = CodeList(
    "review_result", "审核结论", {"agree": "同意", "disagree": "不同意", "return": "退回补充"}
)

ReviewSubject = Literal["search_record", "proposal", "resolution", "restoration_application"]
REVIEW_SUBJECT: CodeList[str] = CodeList(
    "review_subject",
    "审核对象",
    {
        "search_record": "联系查找情况记录",
        "proposal": "处置意见",
        "resolution": "支部党员大会决议",
        "restoration_application": "恢复党籍申请",
    },
)

MeetingOutcome = Literal["passed", "not_passed"]
MEETING_OUTCOME: CodeList[str] = CodeList(
    "meeting_outcome", "表决结果", {"passed": "通过", "not_passed": "未通过"}
)

SignatureExcuse = Literal["refused", "illness", "other", "unreachable"]
SIGNATURE_EXCUSE: CodeList[str] = CodeList(
    "signature_excuse",
    "未签字原因",
    {"refused": "拒不签字", "illness": "因病不能签字", "other": "因故不能签字", "unreachable": "无法联系"},
)

FiledKind = Literal["retention", "suspension", "withdrawal"]
FILED_KIND: CodeList[str] = CodeList(
    "filed_kind",
    "备案类别",
    {"retention": "保留组织关系备案", "suspension": "停止党籍备案", "withdrawal": "退党除名备案"},
)

Channel = Literal["in_person", "phone", "letter", "message", "unreachable"]
CHANNEL: CodeList[str] = CodeList(
    "channel",
    "通知方式",
    {
        "in_person": "当面",
        "phone": "电话",
        "letter": "信函",
        "message": "短信或微信",
        "unreachable": "无法送达",
    },
)

AnnouncementScope = Literal["branch_meeting", "party_members", "public"]
ANNOUNCEMENT_SCOPE: CodeList[str] = CodeList(
    "announcement_scope",
    "宣布范围",
    {"branch_meeting": "支部党员大会", "party_members": "党内适当范围", "public": "公开"},
)

EducationMeasure = Literal["heart_to_heart", "training", "pairing", "care", "other"]
EDUCATION_MEASURE: CodeList[str] = CodeList(
    "education_measure",
    "教育帮扶措施",
    {
        "heart_to_heart": "谈心谈话",
        "training": "教育培训",
        "pairing": "结对帮扶",
        "care": "关心帮助",
        "other": "其他",
    },
)

CorrectionResult = Literal["corrected", "not_changed"]
CORRECTION_RESULT: CodeList[str] = CodeList(
    "correction_result", "限期改正期满评估", {"corrected": "已改正", "not_changed": "仍无转变"}
)

WithdrawalAnswer = Literal["accepts", "refuses", "no_answer"]
WITHDRAWAL_ANSWER: CodeList[str] = CodeList(
    "withdrawal_answer",
    "对劝退的答复",
    {"accepts": "接受劝退", "refuses": "拒不退党", "no_answer": "逾期未答复"},
)

ReissueReason = Literal["letter_lost", "letter_expired", "handler_fault", "other"]
REISSUE_REASON: CodeList[str] = CodeList(
    "reissue_reason",
    "补转原因",
    {
        "letter_lost": "介绍信遗失",
        "letter_expired": "介绍信过期",
        "handler_fault": "经办人原因",
        "other": "其他",
    },
)

AppealKind = Literal["reconsideration", "re_examination"]
APPEAL_KIND: CodeList[str] = CodeList(
    "appeal_kind", "申诉复核", {"reconsideration": "复议", "re_examination": "复查"}
)

AppealDecision = Literal["maintain", "revoke"]
APPEAL_DECISION: CodeList[str] = CodeList(
    "appeal_decision", "申诉处理决定", {"maintain": "维持原处置", "revoke": "撤销原处置"}
)

YesNo = Literal["yes", "no"]
YES_NO: CodeList[str] = CodeList("yes_no", "是否", {"yes": "是", "no": "否"})

LookBackQuestion = Literal[
    "facts_clear", "reasons_sufficient", "disposition_appropriate", "formalities_complete"
]
LOOKBACK_QUESTION: CodeList[str] = CodeList(
    "lookback_question",
    "回头看“四个是否”",
    {
        "facts_clear": "事实是否清楚",
        "reasons_sufficient": "理由是否充分",
        "disposition_appropriate": "处置是否恰当",
        "formalities_complete": "手续是否完备",
    },
)

LookBackConclusion = Literal["upheld", "rectify", "revoke"]
LOOKBACK_CONCLUSION: CodeList[str] = CodeList(
    "lookback_conclusion", "回头看结论", {"upheld": "维持", "rectify": "整改", "revoke": "撤销纠正"}
)
