"""Stories of the search itself (P0: still searching, 失控, death) and of members who stay uncontactable (P9
停止党籍, P11, and PR 恢复党籍 of one who comes back; P10 is in `paths_lapsed`), written with the §7 scenario
dates; `Case.shift` moves them. The phases are public so the §7 scenario tests walk the same steps."""

from __future__ import annotations

from api.demo.bodies import approved, attempt_body, meeting, notified, opinion, ref, review
from api.demo.case import Case, MemberStream, doc
from api.demo.steps import (
    attach,
    attempt,
    attempts,
    confirm,
    contact,
    inv_ok,
    register,
    search_review,
    uncontactable,
)

ZHAO = {"reg": "2021-02-01", "confirm": "2024-09-05", "last": "2024-01-05",
        "attempts": "2024-09-20 2024-10-15 2024-11-10", "p07b": "2024-11-25", "p08": "2024-12-02",
        "attach": "2024-12-02", "p91": "2024-12-06", "p92": "2024-12-16", "p93": "2024-12-27",
        "p94": "2025-01-08"}  # fmt: skip
"""赵磊's dates: registration, 认定失联 (and the last contact), the attempts, 确认无法取得联系, the committee's
review, the materials, then P9.1 … P9.4."""
CAO = {"reg": "2021-02-01", "confirm": "2021-06-01", "last": "2020-10-01",
       "attempts": "2021-07-01 2021-08-01 2021-09-01", "p07b": "2021-10-01", "p08": "2021-10-10",
       "attach": "2021-10-10", "p91": "2022-02-20", "p92": "2022-03-02", "p93": "2022-03-15",
       "p94": "2022-03-25"}  # fmt: skip
"""曹宇's dates, as `ZHAO`."""
CAI = {"reg": "2021-01-05", "confirm": "2022-06-01", "last": "2021-11-01",
       "attempts": "2022-07-01 2022-08-01 2022-09-01", "p07b": "2022-10-01", "p08": "2022-10-10",
       "attach": "2022-10-10", "p91": "2023-03-01", "p92": "2023-03-20", "p93": "2023-04-10",
       "p94": "2023-04-20"}  # fmt: skip
"""蔡亮's dates, as `ZHAO`."""
RESTORATION = {"application": doc("恢复党籍申请")}


def searching(c: Case) -> None:
    """Lost contact in 2026 and still being searched; a phone number in an attempt corrected by its signer."""
    register(c, "2021-02-01")
    confirm(c, "2026-03-02", last="2025-08-20")
    first = attempt(c, 1, "direct", "2026-04-10")
    fixed = {
        **attempt_body(1, "direct", [c.id("BST"), c.id("BCM")]),
        "narrative": "电话 19900003333 联系未果",
    }
    c.add(
        "Corrected", {"corrects": first, "reason": "电话号码有误", "replacement": fixed}, "BST", "2026-04-12"
    )
    attempt(c, 2, "acquaintance", "2026-06-20")


def out_of_control(c: Case) -> None:
    """Away for over a month without reporting: listed as 失控 and sought."""
    register(c, "2021-02-01")
    absence = {"departed_on": "2026-08-10", "reported_to_branch": False, "abroad": False}
    h = c.add("AbsenceRecorded", absence, "BST", "2026-08-20")
    c.add("OutOfControlListed", {"absence": h}, "SEC", "2026-09-11")


def deceased(c: MemberStream) -> None:
    """Lost contact, then found to have died (户籍注销证明)."""
    register(c, "2021-02-01")
    confirm(c, "2024-03-01")
    c.add(
        "DeathConfirmed",
        {"source": "household_register", "evidence": doc("户籍注销证明")},
        "SEC",
        "2024-06-12",
    )


def uncontactable_reviewed(c: MemberStream, d: dict[str, str]) -> None:
    """Lost, searched for three times, 确认无法取得联系, and the committee's review of the search record."""
    register(c, d["reg"])
    confirm(c, d["confirm"], last=d["last"])
    attempts(c, *d["attempts"].split())
    uncontactable(c, d["p07b"])
    search_review(c, d["p08"])


def p9_approved(c: MemberStream, d: dict[str, str]) -> None:
    """The materials, P9.1, P9.2 the general meeting, P9.3 the committee's approval."""
    attach(c, "writeup", "suspension-register", on=d["attach"])
    p91 = opinion("P9", "P9.1", "suspend_uncontactable", d["p91"], member_unreachable=True)
    c.add("CommitteeOpinionGiven", p91, "SEC", d["p91"])
    c.add("GeneralMeetingResolved", meeting("P9", "P9.2", "suspend_uncontactable"), "SEC", d["p92"])
    c.add("Approved", approved("P9", "P9.3", "suspend_uncontactable", d["p93"]), "CSEC", d["p93"])


def p9_filed(c: MemberStream, d: dict[str, str]) -> None:
    """P9.4 filed at the county department."""
    filing_body = {"ref": ref("P9", "P9.4"), "filed_kind": "suspension", "documents": [doc("备案")]}
    c.add("Filed", filing_body, "ODS", d["p94"])


def suspended(c: MemberStream, d: dict[str, str], filing: bool = True) -> None:
    """P9 停止党籍 of an uncontactable member with the dates in `d` (filed unless `filing` is off)."""
    uncontactable_reviewed(c, d)
    p9_approved(c, d)
    if filing:
        p9_filed(c, d)


def p9_suspended(c: Case) -> None:
    """P9 停止党籍 of a member who cannot be reached, filed at the county department."""
    suspended(c, ZHAO)


def pr_approved(c: MemberStream) -> str:
    """A suspended member back in touch applies (2024-08-05); PR.1 … PR.3 approved by the county; its hash."""
    c.add("RestorationApplied", RESTORATION, "BST", "2024-08-05")
    inv_ok(c, "2024-08-10")
    attach(c, "writeup", on="2024-08-12")
    c.add(
        "CommitteeOpinionGiven",
        opinion("PR", "PR.1", "restore_membership", "2024-08-20"),
        "SEC",
        "2024-08-20",
    )
    c.add("Reviewed", {**review("PR", "PR.2", "2024-09-02"), "subject": "restoration_application"}, "CSEC",
          "2024-09-02")  # fmt: skip
    return c.add("Approved", approved("PR", "PR.3", "restore_membership", "2024-09-20", at_c=False), "ODL",
                 "2024-09-20")  # fmt: skip


def pr_restored(c: Case) -> None:
    """PR 恢复党籍: suspended 2023, back in touch and applying within two years, restored by the county."""
    suspended(c, CAI)
    contact(c, "2024-08-01")
    h = pr_approved(c)
    c.add("MemberNotified", notified("PR", "PR.4", h), "SEC", "2024-09-23")


def p11_cancelled(c: MemberStream) -> None:
    """P11 取消预备党员资格 of an uncontactable probationary member."""
    register(c, "2022-07-02", member_type="probationary", joined="2022-07-01")
    confirm(c, "2023-12-01", last="2023-05-01")
    attempts(c, "2024-01-10", "2024-02-10", "2024-03-10")
    uncontactable(c, "2024-05-20")
    search_review(c, "2024-06-03")
    attach(c, "writeup", on="2024-06-05")
    p111 = opinion("P11", "P11.1", "cancel_probation", "2024-06-10", member_unreachable=True)
    c.add("CommitteeOpinionGiven", {**p111, "grounds": ["uncontactable"]}, "SEC", "2024-06-10")
    c.add("GeneralMeetingResolved", meeting("P11", "P11.2", "cancel_probation"), "SEC", "2024-06-21")
    c.add("Approved", approved("P11", "P11.3", "cancel_probation", "2024-07-02"), "CSEC", "2024-07-02")
