"""§7 scenarios 49 (second half), 50–52, 55 (first half) and 56: 回头看 revocation and remedy, corrections,
announcement scope, and P1 through a general branch."""

from __future__ import annotations

from typing import Any

from api.demo.paths_contacted import p1_general_branch_approved, p1_general_branch_proposed
from api.demo.paths_correction import HUANG, through_p4_approval
from api.demo.paths_history import (
    YES,
    filing_remedied,
    paper_abroad,
    paper_removal,
    rectified,
    removal_revoked,
)
from api.demo.paths_history import no as no
from domain.settings import DomainSettings
from domain.states import MemberState
from tests.domain.engine_steps import approved, attempt, attempt_body, confirm, ref
from tests.domain.engine_world import Member, doc
from tests.domain.test_engine_history import findings_of
from tests.domain.test_engine_p0 import zhao_lei
from tests.domain.test_engine_p5_p8 import removed_lapsed_xie_jun


def yan_lei() -> tuple[Member, str]:
    """Scenario 48: 阎磊's paper records H1–H7 (signed by 何立) entered by 吴芳 on 2025-02-10; the hash of H7."""
    m = Member("阎磊")
    return m, paper_removal(m, signer="何立", approver="何立")


def test_paper_removal_found_with_every_deviation_the_look_back_lists() -> None:
    m, _ = yan_lei()
    found = findings_of(m)
    assert found[3][0] == "search-needs-two-full-member-signers"
    assert found[4][0] == "search-insufficient"
    assert found[5][0] == "step-not-allowed" and found[6][0] == "step-not-allowed"
    assert found[7][0] == "approval-level"
    assert m.file.state is MemberState.REMOVED_LAPSED


def test_look_back_revokes_a_paper_removal_and_reopens_the_case() -> None:
    m, h7 = yan_lei()
    removal_revoked(m, h7)
    assert m.file.state is MemberState.LOST_UNCONTACTABLE and m.file.case_open


def test_look_back_targets_only_dispositions() -> None:
    m = zhao_lei()
    confirm(m, "2024-09-05")
    a1 = attempt(m, 1, "direct", "2024-09-20")
    review = {"target": a1, "deviations": [], "conclusion": "upheld",
              "answers": {"facts_clear": YES, "reasons_sufficient": YES, "disposition_appropriate": YES,
                          "formalities_complete": YES}}  # fmt: skip
    assert m.try_("LookBackReviewed", review, "冯涛", "2025-03-10") == ["lookback-target-invalid"]


def wei_hua() -> tuple[Member, str]:
    """韦华 (scenario 51): paper records of a P3 up to its approval 2019-08-10, no P3.4; returns P3.3's hash."""
    m = Member("韦华")
    p33 = paper_abroad(m, signer="何立", approver="何立")
    assert findings_of(m) == {} and m.file.state is MemberState.SUSPENDED_ABROAD
    return m, p33


def test_look_back_remedy_files_the_missing_step_without_moving_the_effective_date() -> None:
    m, p33 = wei_hua()
    lookback, remedy = filing_remedied(m, p33)
    assert m.file.state is MemberState.SUSPENDED_ABROAD
    p3 = next(i for i in m.file.instances if i.path == "P3")
    assert str(p3.effect_on) == "2019-08-10"
    rectified(m, lookback, remedy)
    extra = {"doc": doc("补充材料"), "form": "writeup", "remedies": lookback}
    assert m.try_("MaterialAttached", extra, "吴芳", "2025-04-28") == ["remedy-without-basis"]


def test_a_search_record_is_corrected_by_its_signer_not_by_another_role() -> None:
    zhao = zhao_lei()
    confirm(zhao, "2024-09-05")
    a1 = attempt(zhao, 1, "direct", "2024-09-20")
    fixed = {**attempt_body(1, "direct", ["吴芳", "郑强"]), "narrative": "电话 13900000000 联系未果"}
    zhao.add(
        "Corrected", {"corrects": a1, "reason": "电话号码有误", "replacement": fixed}, "吴芳", "2024-09-22"
    )
    entry = zhao.file.entry(a1)
    assert entry is not None and entry.body["narrative"] == "电话 13900000000 联系未果"
    huang = Member("黄海")
    through_p4_approval(huang, HUANG)
    p41 = next(e for e in huang.file.entries if e.ref == ("P4", "P4.1"))
    body = {"corrects": p41.hash, "reason": "更正", "replacement": dict(p41.body)}
    assert huang.try_("Corrected", body, "钱丽", "2025-03-02") == ["correction-not-permitted"]


def test_dispositions_are_never_announced_publicly() -> None:
    m, _ = removed_lapsed_xie_jun()
    public = {"ref": ref("P6", "P6.10"), "scope": "public"}
    assert m.try_("Announced", public, "周明", "2024-04-28") == ["announcement-public"]


def shi_lei(settings: DomainSettings | None = None) -> Member:
    """石磊 of B3 (under GB1, C2): contacted, INV-ok, education talk, P1.1 by 许文 2025-04-20."""
    m = Member("石磊", settings=settings or DomainSettings(), branch="B3")
    p1_general_branch_proposed(m)
    return m


def c2_approval() -> dict[str, Any]:
    return {**approved("P1", "P1.3", "normal_management", "2025-05-10")}


def test_p1_through_the_general_branch_of_a_committee() -> None:
    m = shi_lei()
    p1_general_branch_approved(m)
    assert m.file.state is MemberState.NORMAL and not m.file.case_open


def test_general_branch_review_required_by_setting() -> None:
    m = shi_lei(DomainSettings(general_branch_review_required=True))
    assert m.try_("Approved", c2_approval(), "宋青", "2025-05-10") == ["step-out-of-order"]
