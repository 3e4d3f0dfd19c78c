"""The steps that sign, shared by the demo stories and the §7 scenario tests that prove them valid: 登记,
失联认定, 查找, 调查核实, 谈话, materials (the pure bodies of path steps are in `bodies`).

Each takes a `MemberStream`: the demo's `Case`, or the tests' `Member`; signers are named by role ("SEC" of
the member's branch, "CSEC" of its committee…), which both resolve."""

from __future__ import annotations

from typing import Any

from api.demo.bodies import B_MEETING, C_MEETING, attempt_body, opinion_text
from api.demo.case import MemberStream, doc

__all__ = ["DEFAULT_CHECKS", "attach", "attempt", "attempts", "confirm", "contact", "inv_ok", "investigate",
           "register", "search_review", "talk", "uncontactable"]  # fmt: skip

DEFAULT_CHECKS = ("self_statement", "employer_letter", "discipline_check", "police_check")


def register(c: MemberStream, on: str, member_type: str = "full", joined: str = "2010-05-20", by: str = "BST",
             home: str | None = None) -> str:  # fmt: skip
    """党员基本情况登记 with the person's identity; a full member became full a year after joining."""
    body: dict[str, Any] = {
        **c.identity(),
        "member_type": member_type,
        "joined_on": joined,
        "home": c.unit(home),
    }
    if member_type == "full":
        body["full_on"] = f"{int(joined[:4]) + 1}{joined[4:]}"
    return c.add("MemberRegistered", body, by, on)


def confirm(c: MemberStream, on: str, last: str = "2023-08-15", by: str = "SEC", **extra: Any) -> str:
    """认定失联."""
    body = {
        "last_contact_date": last,
        "cause": 1,
        "org_category": c.org_category,
        "reference_date": on,
        **extra,
    }
    return c.add("LostContactConfirmed", body, by, on)


def attempt(c: MemberStream, no: int, method: str, on: str, by: str = "BST", other: str = "BCM",
            result: str = "no_trace") -> str:  # fmt: skip
    """A search attempt and the second searcher's attestation."""
    h = c.add("SearchAttemptRecorded", attempt_body(no, method, [c.id(by), c.id(other)], result), by, on)
    c.add("Attested", {"attests": h, "capacity": "searcher"}, other, on)
    return h


def attempts(c: MemberStream, *days: str) -> None:
    """Three or more attempts: in person, through acquaintances, then through departments (C and D)."""
    methods = ("direct", "acquaintance", "department", "department")
    for no, (method, on) in enumerate(zip(methods, days, strict=False), 1):
        extra = {"by": "CST", "other": "ODS"} if method == "department" else {}
        attempt(c, no, method, on, **extra)


def uncontactable(c: MemberStream, on: str, by: str = "SEC", meeting: dict[str, int] | None = None) -> str:
    """支委会确认无法取得联系 (`meeting`: the committee's own figures when it acts for a dissolved branch)."""
    body = {"cmeeting": {"date": on, **(meeting or B_MEETING)}, "attempts": c.hashes("SearchAttemptRecorded"),
            "opinion": "无法取得联系", "proposed": "suspend_uncontactable"}  # fmt: skip
    return c.add("UncontactableConfirmed", body, by, on)


def search_review(c: MemberStream, on: str, result: str = "agree") -> str:
    """基层党委对查找记录的意见."""
    body = {"subject": "search_record", "result": result, "opinion": opinion_text(result),
            "cmeeting": {"date": on, **C_MEETING}}  # fmt: skip
    return c.add("Reviewed", body, "CSEC", on)


def contact(c: MemberStream, on: str, abroad: dict[str, Any] | None = None, by: str = "BST") -> str:
    """取得联系."""
    body: dict[str, Any] = {
        "via": "member_initiative",
        "whereabouts": "本地" if not abroad else abroad["country_region"],
    }
    if abroad:
        body["abroad"] = abroad
    return c.add("ContactRestored", body, by, on)


def investigate(c: MemberStream, check: str, on: str, finding: str = "no_issue", criteria: list[str] | None = None,
                by: str = "BST") -> str:  # fmt: skip
    """调查核实 one source."""
    body: dict[str, Any] = {"check": check, "asked_on": on, "finding": finding, "summary": "核实情况"}
    if criteria:
        body["criteria"] = criteria
    return c.add("ConductInvestigated", body, by, on)


def inv_ok(c: MemberStream, on: str, by: str = "BST", skip: str | None = None) -> None:
    """Every default source (less `skip`) answers: no issue."""
    for check in DEFAULT_CHECKS:
        if check != skip:
            investigate(c, check, on, by=by)


def talk(c: MemberStream, kind: str, attitude: list[str], on: str, by: str = "SEC") -> str:
    """谈话."""
    body = {"kind": kind, "talkers": [c.id(by)], "attitude": attitude, "summary": "谈话记录"}
    return c.add("TalkHeld", body, by, on)


def attach(c: MemberStream, *forms: str, on: str, by: str = "BST") -> None:
    """Materials (表格、写实材料)."""
    for form in forms:
        c.add("MaterialAttached", {"doc": doc(form), "form": form}, by, on)
