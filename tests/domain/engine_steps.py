"""Body builders for the §7 stories: registration, 失联, attempts, INV, talks, path steps, materials."""

from __future__ import annotations

from typing import Any

from tests.domain.engine_world import Member, U, doc

VOTE = {"eligible_voters": 25, "present_voters": 21, "votes_for": 19, "votes_against": 1, "abstentions": 1}
C1_MEETING = {"members_total": 7, "members_present": 6, "members_for": 6}
DEFAULT_CHECKS = ("self_statement", "employer_letter", "discipline_check", "police_check")


def register(
    m: Member,
    on: str = "2021-02-01",
    member_type: str = "full",
    home: str = "B1",
    by: str = "吴芳",
    joined: str = "2010-05-20",
) -> str:
    body: dict[str, Any] = {
        "name": m.name,
        "member_type": member_type,
        "joined_on": joined,
        "home": U[home],
    }
    if member_type == "full":
        body["full_on"] = "2011-05-20"
    return m.add("MemberRegistered", body, by, on)


def confirm(m: Member, on: str, last: str = "2023-08-15", by: str = "周明", **extra: Any) -> str:
    body = {"last_contact_date": last, "cause": 1, "org_category": 7, "reference_date": on, **extra}
    return m.add("LostContactConfirmed", body, by, on)


def attempt_body(no: int, method: str, searchers: list[str], result: str = "no_trace") -> dict[str, Any]:
    from tests.domain.engine_world import A

    return {"attempt_no": no, "method": method, "target": "本人", "narrative": "查找过程", "result": result,
            "searchers": [A[s] for s in searchers]}  # fmt: skip


def attempt(
    m: Member, no: int, method: str, on: str, by: str = "吴芳", other: str = "郑强", result: str = "no_trace"
) -> str:
    h = m.add("SearchAttemptRecorded", attempt_body(no, method, [by, other], result), by, on)
    m.add("Attested", {"attests": h, "capacity": "searcher"}, other, on)
    return h


def three_attempts(m: Member) -> None:
    attempt(m, 1, "direct", "2024-09-20")
    attempt(m, 2, "acquaintance", "2024-10-15")
    attempt(m, 3, "department", "2024-11-10", by="李静", other="何敏")


def uncontactable(
    m: Member, on: str = "2024-11-25", by: str = "周明", meeting: dict[str, int] | None = None
) -> str:
    attempts = [e.hash for e in m.file.of_type("SearchAttemptRecorded")]
    body = {"cmeeting": {"date": on, **(meeting or {"members_total": 5, "members_present": 5, "members_for": 5})},
            "attempts": attempts, "opinion": "无法取得联系", "proposed": "suspend_uncontactable"}  # fmt: skip
    return m.add("UncontactableConfirmed", body, by, on)


def search_review(m: Member, on: str = "2024-12-02", result: str = "agree") -> str:
    body = {
        "subject": "search_record",
        "result": result,
        "opinion": "同意",
        "cmeeting": {"date": on, **C1_MEETING},
    }
    return m.add("Reviewed", body, "孙波", on)


def contact(m: Member, on: str, by: str = "吴芳", abroad: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"via": "member_initiative", "whereabouts": "本地"}
    if abroad:
        body["abroad"] = abroad
    return m.add("ContactRestored", body, by, on)


def investigate(
    m: Member, check: str, on: str, finding: str = "no_issue", criteria: list[str] | None = None
) -> str:
    body: dict[str, Any] = {"check": check, "asked_on": on, "finding": finding, "summary": "核实"}
    if criteria:
        body["criteria"] = criteria
    return m.add("ConductInvestigated", body, "吴芳", on)


def inv_ok(m: Member, on: str, skip: str | None = None) -> None:
    for check in DEFAULT_CHECKS:
        if check != skip:
            investigate(m, check, on)


def talk(m: Member, kind: str, attitude: list[str], on: str) -> str:
    from tests.domain.engine_world import A

    body = {"kind": kind, "talkers": [A["周明"]], "attitude": attitude, "summary": "谈话"}
    return m.add("TalkHeld", body, "周明", on)


def attach(m: Member, *forms: str, on: str, by: str = "吴芳") -> None:
    for form in forms:
        m.add("MaterialAttached", {"doc": doc(form), "form": form}, by, on)


def ref(path: str, step: str) -> dict[str, str]:
    return {"path": path, "step": step}


def opinion(path: str, step: str, proposed: str, on: str, **extra: Any) -> dict[str, Any]:
    return {"ref": ref(path, step), "proposed": proposed, "grounds": [], "opinion": "意见",
            "cmeeting": {"date": on, "members_total": 5, "members_present": 5, "members_for": 5}, **extra}  # fmt: skip


def review(
    path: str, step: str, on: str, result: str = "agree", kind: str = "PreReviewed", **extra: Any
) -> dict[str, Any]:
    return {
        "ref": ref(path, step),
        "result": result,
        "opinion": "意见",
        "cmeeting": {"date": on, **C1_MEETING},
        **extra,
    }


def d_review(path: str, step: str, result: str = "agree") -> dict[str, Any]:
    return {"ref": ref(path, step), "result": result, "opinion": "意见"}


def meeting(path: str, step: str, resolution: str, vote: dict[str, int] | None = None, outcome: str = "passed",
            **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"ref": ref(path, step), "resolution": resolution, "vote": vote or VOTE, "outcome": outcome,
            "text": "决议", "minutes": doc("会议记录"), **extra}  # fmt: skip


def approved(path: str, step: str, outcome: str, on: str, at_c: bool = True, **extra: Any) -> dict[str, Any]:
    body = {"ref": ref(path, step), "outcome": outcome, "opinion": "同意", "decision": doc("批复"), **extra}
    if at_c:
        body["cmeeting"] = {"date": on, **C1_MEETING}
    return body


def guidance(path: str, step: str, meeting_date: str) -> dict[str, Any]:
    return {"ref": ref(path, step), "meeting_date": meeting_date}


def signed(path: str, step: str, resolution: str) -> dict[str, Any]:
    return {"ref": ref(path, step), "resolution": resolution, "scan": doc("签字")}


def refusal_note(path: str, step: str, resolution: str, reason: str) -> dict[str, Any]:
    return {
        "ref": ref(path, step),
        "resolution": resolution,
        "reason": reason,
        "note": "注明",
        "scan": doc("注明"),
    }


def notified(path: str, step: str, decision: str) -> dict[str, Any]:
    return {"ref": ref(path, step), "decision": decision, "channel": "in_person"}


def filed(path: str, step: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"ref": ref(path, step), "filed_kind": kind, "documents": [doc("备案")], **extra}
