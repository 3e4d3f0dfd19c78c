"""The pure bodies of path steps (those that carry `ref`) and of a search attempt, shared by the demo stories
and the §7 scenario tests that prove them valid. Nothing here signs: `steps` does."""

from __future__ import annotations

from typing import Any

from api.demo.case import doc

__all__ = ["B_MEETING", "C_MEETING", "VOTE", "approved", "attempt_body", "d_review", "filed", "guidance", "meeting",
           "notified", "opinion", "ref", "refusal_note", "review", "signed"]  # fmt: skip

VOTE = {"eligible_voters": 25, "present_voters": 21, "votes_for": 19, "votes_against": 1, "abstentions": 1}
"""The branch's general meeting (党员大会) that passes a resolution."""
C_MEETING = {"members_total": 7, "members_present": 6, "members_for": 6}
"""A quorate meeting of the grassroots committee (基层党委会)."""
B_MEETING = {"members_total": 5, "members_present": 5, "members_for": 5}
"""A meeting of the branch committee (支委会)."""


def opinion_text(result: str) -> str:
    """The opinion written under a review's result."""
    return "同意" if result == "agree" else "不同意"


def attempt_body(no: int, method: str, searchers: list[str], result: str = "no_trace") -> dict[str, Any]:
    """One search attempt, signed by the searchers (actor ids; two full members for it to count)."""
    return {"attempt_no": no, "method": method, "target": "本人", "narrative": "电话、走访均未联系上",
            "result": result, "searchers": searchers}  # fmt: skip


def ref(path: str, step: str) -> dict[str, str]:
    """A step reference."""
    return {"path": path, "step": step}


def opinion(path: str, step: str, proposed: str, on: str, **extra: Any) -> dict[str, Any]:
    """支委会初步处置意见."""
    return {"ref": ref(path, step), "proposed": proposed, "grounds": [], "opinion": "初步处置意见",
            "cmeeting": {"date": on, **B_MEETING}, **extra}  # fmt: skip


def review(path: str, step: str, on: str, result: str = "agree", **extra: Any) -> dict[str, Any]:
    """基层党委预审 / 审核 (a committee meeting)."""
    return {
        "ref": ref(path, step),
        "result": result,
        "opinion": opinion_text(result),
        "cmeeting": {"date": on, **C_MEETING},
        **extra,
    }


def d_review(path: str, step: str, result: str = "agree") -> dict[str, Any]:
    """组织部门预审."""
    return {"ref": ref(path, step), "result": result, "opinion": opinion_text(result)}


def meeting(path: str, step: str, resolution: str, vote: dict[str, int] | None = None, outcome: str = "passed",
            **extra: Any) -> dict[str, Any]:  # fmt: skip
    """党员大会决议."""
    return {"ref": ref(path, step), "resolution": resolution, "vote": vote or VOTE, "outcome": outcome,
            "text": "支部大会决议", "minutes": doc("会议记录"), **extra}  # fmt: skip


def approved(path: str, step: str, outcome: str, on: str, at_c: bool = True, **extra: Any) -> dict[str, Any]:
    """审批 (at the committee with its meeting, or at the department)."""
    body = {"ref": ref(path, step), "outcome": outcome, "opinion": "同意", "decision": doc("批复"), **extra}
    if at_c:
        body["cmeeting"] = {"date": on, **C_MEETING}
    return body


def guidance(path: str, step: str, meeting_date: str) -> dict[str, Any]:
    """基层党委派人指导党员大会."""
    return {"ref": ref(path, step), "meeting_date": meeting_date}


def signed(path: str, step: str, resolution: str) -> dict[str, Any]:
    """本人签字."""
    return {"ref": ref(path, step), "resolution": resolution, "scan": doc("本人签字")}


def refusal_note(path: str, step: str, resolution: str, reason: str) -> dict[str, Any]:
    """支部注明本人拒绝或无法签字."""
    return {
        "ref": ref(path, step),
        "resolution": resolution,
        "reason": reason,
        "note": "支部注明",
        "scan": doc("注明"),
    }


def notified(path: str, step: str, decision: str) -> dict[str, Any]:
    """通知本人."""
    return {"ref": ref(path, step), "decision": decision, "channel": "in_person"}


def filed(path: str, step: str, kind: str, **extra: Any) -> dict[str, Any]:
    """备案."""
    return {"ref": ref(path, step), "filed_kind": kind, "documents": [doc("备案材料")], **extra}
