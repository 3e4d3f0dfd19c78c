"""The three registers: 失联党员名册, 经查找取得联系党员登记表, 经查找仍然无法取得联系党员登记表 (forms §3.4–§3.6).

Populations (forms §1.1), with the reference instants of a campaign (``review_start``, ``review_end``) or,
without one, the ``reference_date`` of each member's 认定失联:
- 名册 (D1): out of contact for ``lost_contact_threshold_months`` or more at the end of the review (or at
  the day contact was regained, if earlier), contacted later or not;
- 取得联系 (D4): out of contact that long **before** the review (at ``review_start``), contact regained by T;
- 仍然无法 (D5/D6): out of contact that long at the end of the review, not contacted by T, not deceased.
Derived values: 年龄 at 填表日期 T; 党龄 whole years from 转正日期 (党章 第七条: 党龄从转正之日算起; 0 for a
probationary member) [inferred]; 与党组织失去联系时间 from the last contact (forms §1.2) to the end of the
search (the contact date, else the end of the review, else T), shown as ``X年Y个月``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from domain.codes import CAUSE, OCCUPATION, ORG_CATEGORY, SEX, CodeList
from domain.dates import day
from domain.settings import DomainSettings
from projections.cohort import CohortFacts, cohort_facts, duration_text, lost_at, years_between
from projections.scope import Scope, ScopedMember

Kind = Literal["roster", "contacted", "uncontactable"]
TITLES: dict[str, str] = {
    "roster": "失联党员名册",
    "contacted": "经查找取得联系党员登记表",
    "uncontactable": "经查找仍然无法取得联系党员登记表",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "contacted": ("姓名", "性别", "民族", "年龄", "党龄", "学历", "职业", "曾任党内职务", "与党组织失去联系时间",
                  "失去联系情形", "党组织类别", "联系电话", "备注"),
    "uncontactable": ("姓名", "性别", "民族", "年龄", "党龄", "学历", "职业", "曾任党内职务",
                      "与党组织失去联系时间", "失去联系情形", "党组织类别", "备注"),
    "roster": ("姓名", "性别", "民族", "年龄", "党龄", "学历", "职业", "曾任党内职务", "与党组织失去联系时间",
               "失去联系情形", "党组织类别", "联系电话", "备注"),
}  # fmt: skip
"""Official columns; the 名册's layout is not in the seeds: the §3.5 set plus 联系电话 (forms §3.6)."""
NOTES: dict[str, tuple[str, ...]] = {
    "contacted": (
        "1.本表由党支部填写，报基层党委。",
        "2.经查找取得联系党员是指党员组织关系排查前与党组织失去联系6个月以上，经联系查找后重新与党组织取得联系的党员。",
        "3.职业：按以下代码填写。①国有企业解除劳动关系人员②非公有制企业离职人员③农村外出务工经商人员④机关事业单位离退休人员"
        "⑤高校毕业生⑥街道社区人户分离人员⑦组织关系在人才中心人员⑧其他",
        "4.与党组织失去联系时间：指党员最近一次参加党组织生活或交纳党费日期至联系查找结束时的时间。",
        "5.失去联系情形：按以下代码填写。①外出务工经商②单位改制或破产③毕业后去向不明④工作单位改变⑤出国（境）⑥居住地改变"
        "⑦其他（具体原因在备注栏中注明）",
        "6.党组织类别：按以下代码填写。①国有企业②非公有制企业③农村④党政机关⑤学校⑥其他事业单位⑦街道社区⑧社会组织⑨其他",
    ),
    "uncontactable": (
        "1.本表由党支部填写，一式五份，逐级报省（区、市）、部门（系统）组织部门。",
        "2.经查找仍然无法取得联系党员是指党员组织关系排查工作结束时，与党组织失去联系6个月以上，经多方努力确实无法取得联系的党员。",
    ),
    "roster": (
        "1.本表由党支部填写，逐级报送。",
        "2.失联党员是指党员组织关系排查工作结束时，与党组织失去联系6个月以上的党员。",
    ),
}  # fmt: skip
NOTES["uncontactable"] += NOTES["contacted"][2:]
NOTES["roster"] += (
    NOTES["contacted"][3].replace("4.", "3.", 1),
    NOTES["contacted"][4].replace("5.", "4.", 1),
    NOTES["contacted"][5].replace("6.", "5.", 1),
    NOTES["contacted"][2].replace("3.", "6.", 1).replace("④机关", "④党机关"),
)


def _window(facts: CohortFacts, scope: Scope) -> tuple[date, date]:
    """(start, end) reference instants of the review for this member (forms §1.1)."""
    c = scope.campaign
    if c is not None and c.review_start is not None and c.review_end is not None:
        return c.review_start, c.review_end
    return facts.reference, facts.reference


def search_end(facts: CohortFacts, scope: Scope) -> date:
    """联系查找结束时 (forms §1.2): the contact date, else the end of the review (when passed), else T."""
    if facts.contact_on is not None:
        return facts.contact_on
    _, end = _window(facts, scope)
    return end if end <= scope.at and scope.campaign is not None else scope.at


def belongs(kind: Kind, facts: CohortFacts, scope: Scope, settings: DomainSettings) -> bool:
    """Whether the member is on register ``kind`` (the population rules of the module docstring)."""
    start, end = _window(facts, scope)
    if kind == "contacted":
        return facts.contacted and lost_at(facts, start, settings)
    if kind == "uncontactable":
        return not facts.contacted and facts.state != "DECEASED" and lost_at(facts, end, settings)
    reach = min(end, facts.contact_on) if facts.contact_on is not None else end
    return lost_at(facts, reach, settings)


def _code(codes: CodeList[int], value: object) -> str:
    return codes.display(value) if isinstance(value, int) and value in codes else ""


def register_row(facts: CohortFacts, scope: Scope, kind: Kind) -> dict[str, Any]:
    """One row: official column label → value (codes rendered ①…, dates derived as of T)."""
    p = facts.profile
    body = facts.confirmed.body
    birth, full = day(p.get("birth_date")), day(p.get("full_on"))
    occupation, category, cause = body.get("occupation"), body.get("org_category"), facts.cause
    remarks = [str(body["cause_remarks"])] if cause == 7 and body.get("cause_remarks") else []
    if p.get("remarks"):
        remarks.append(str(p["remarks"]))
    values: dict[str, Any] = {
        "姓名": p.get("name", ""),
        "性别": SEX.label(p["sex"]) if p.get("sex") in SEX else "",
        "民族": p.get("ethnicity") or "",
        "年龄": years_between(birth, scope.at) if birth else None,
        "党龄": years_between(full, scope.at) if full and full <= scope.at else 0,
        "学历": p.get("education") or "",
        "职业": _code(OCCUPATION, occupation),
        "曾任党内职务": p.get("party_posts") or "",
        "与党组织失去联系时间": duration_text(facts.last_contact, search_end(facts, scope)),
        "失去联系情形": _code(CAUSE, cause),
        "党组织类别": _code(ORG_CATEGORY, category),
        "联系电话": p.get("mobile") or "",
        "备注": "；".join(remarks),
    }
    return {label: values[label] for label in COLUMNS[kind]}


def register(
    kind: Kind, members: list[ScopedMember], scope: Scope, settings: DomainSettings, unit_name: str = ""
) -> dict[str, Any]:
    """The register as a document: title, header (填报单位, 填表日期, basis), columns, rows, notes."""
    rows = []
    for m in members:
        facts = cohort_facts(m.member_id, m.file, scope.campaign)
        if facts is not None and belongs(kind, facts, scope, settings):
            rows.append({"member_id": m.member_id, **register_row(facts, scope, kind)})
    return {
        "kind": kind,
        "title": TITLES[kind],
        "unit": {"id": scope.unit, "name": unit_name},
        "填报单位": unit_name,
        "填表日期": scope.at.isoformat(),
        "basis": scope.basis,
        "campaign": scope.campaign.campaign_id if scope.campaign else None,
        "columns": list(COLUMNS[kind]),
        "rows": rows,
        "notes": list(NOTES[kind]),
    }
