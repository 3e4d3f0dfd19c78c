"""Body builders shared by the demo stories (the same bodies the §7 scenario tests prove valid): 登记,
失联认定, 查找, 调查核实, 谈话, materials, and the path-step bodies that carry `ref`."""

from __future__ import annotations

from typing import Any

from api.demo.case import Case, doc

VOTE = {"eligible_voters": 25, "present_voters": 21, "votes_for": 19, "votes_against": 1, "abstentions": 1}
C_MEETING = {"members_total": 7, "members_present": 6, "members_for": 6}
B_MEETING = {"members_total": 5, "members_present": 5, "members_for": 5}
DEFAULT_CHECKS = ("self_statement", "employer_letter", "discipline_check", "police_check")


def register(c: Case, on: str, member_type: str = "full", joined: str = "2010-05-20", by: str = "BST") -> str:
    """党员基本情况登记 with the synthetic person's name, sex, birth date and fake ID number."""
    p = c.person
    body: dict[str, Any] = {"name": p.name, "sex": p.sex, "birth_date": p.birth_date, "id_number": p.id_number,
                            "member_type": member_type, "joined_on": joined, "home": c.unit()}  # fmt: skip
    if member_type == "full":
        body["full_on"] = f"{int(joined[:4]) + 1}{joined[4:]}"
    return c.add("MemberRegistered", body, by, on)


def confirm(c: Case, on: str, last: str = "2023-08-15", by: str = "SEC") -> str:
    """认定失联."""
    body = {"last_contact_date": last, "cause": 1, "org_category": c.org_category, "reference_date": on}
    return c.add("LostContactConfirmed", body, by, on)


def attempt_body(
    c: Case, no: int, method: str, searchers: list[str], result: str = "no_trace"
) -> dict[str, Any]:
    """One search attempt signed by two full members."""
    return {"attempt_no": no, "method": method, "target": "本人", "narrative": "电话、走访均未联系上",
            "result": result, "searchers": [c.id(s) for s in searchers]}  # fmt: skip


def attempt(c: Case, no: int, method: str, on: str, by: str = "BST", other: str = "BCM") -> str:
    """A search attempt and the second searcher's attestation."""
    h = c.add("SearchAttemptRecorded", attempt_body(c, no, method, [by, other]), by, on)
    c.add("Attested", {"attests": h, "capacity": "searcher"}, other, on)
    return h


def attempts(c: Case, *days: str) -> None:
    """Three or more attempts: in person, through acquaintances, then through departments (C and D)."""
    methods = ("direct", "acquaintance", "department", "department")
    for no, (method, on) in enumerate(zip(methods, days, strict=False), 1):
        extra = {"by": "CST", "other": "ODS"} if method == "department" else {}
        attempt(c, no, method, on, **extra)


def uncontactable(c: Case, on: str) -> str:
    """支委会确认无法取得联系."""
    body = {"cmeeting": {"date": on, **B_MEETING}, "attempts": c.hashes("SearchAttemptRecorded"),
            "opinion": "无法取得联系", "proposed": "suspend_uncontactable"}  # fmt: skip
    return c.add("UncontactableConfirmed", body, "SEC", on)


def search_review(c: Case, on: str) -> str:
    """基层党委对查找记录的意见."""
    body = {
        "subject": "search_record",
        "result": "agree",
        "opinion": "同意",
        "cmeeting": {"date": on, **C_MEETING},
    }
    return c.add("Reviewed", body, "CSEC", on)


def contact(c: Case, on: str, abroad: dict[str, Any] | None = None, by: str = "BST") -> str:
    """取得联系."""
    body: dict[str, Any] = {
        "via": "member_initiative",
        "whereabouts": "本地" if not abroad else abroad["country_region"],
    }
    if abroad:
        body["abroad"] = abroad
    return c.add("ContactRestored", body, by, on)


def investigate(c: Case, check: str, on: str, finding: str = "no_issue", criteria: list[str] | None = None,
                by: str = "BST") -> str:  # fmt: skip
    """调查核实 one source."""
    body: dict[str, Any] = {"check": check, "asked_on": on, "finding": finding, "summary": "核实情况"}
    if criteria:
        body["criteria"] = criteria
    return c.add("ConductInvestigated", body, by, on)


def inv_ok(c: Case, on: str, by: str = "BST") -> None:
    """Every default source answers: no issue."""
    for check in DEFAULT_CHECKS:
        investigate(c, check, on, by=by)


def talk(c: Case, kind: str, attitude: list[str], on: str, by: str = "SEC") -> str:
    """谈话."""
    body = {"kind": kind, "talkers": [c.id(by)], "attitude": attitude, "summary": "谈话记录"}
    return c.add("TalkHeld", body, by, on)


def attach(c: Case, *forms: str, on: str, by: str = "BST") -> None:
    """Materials (表格、写实材料)."""
    for form in forms:
        c.add("MaterialAttached", {"doc": doc(form), "form": form}, by, on)


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
        "opinion": "同意",
        "cmeeting": {"date": on, **C_MEETING},
        **extra,
    }


def d_review(path: str, step: str) -> dict[str, Any]:
    """组织部门预审."""
    return {"ref": ref(path, step), "result": "agree", "opinion": "同意"}


def meeting(
    path: str, step: str, resolution: str, vote: dict[str, int] | None = None, **extra: Any
) -> dict[str, Any]:
    """党员大会决议."""
    return {"ref": ref(path, step), "resolution": resolution, "vote": vote or VOTE, "outcome": "passed",
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
