"""§7 scenarios 44–47 (PT 转移 / 补转, PM 流动党员证, PA 申诉)."""

from __future__ import annotations

from api.demo.paths_contacted import mobile_certificate, mobile_certificates, p1_approved
from api.demo.paths_correction import HUANG, through_p4_approval
from api.demo.paths_lapsed import appeal_answer as answer
from api.demo.paths_lapsed import appeal_review, lodge
from domain.evolve import POCKET
from domain.states import MemberState
from tests.domain.engine_steps import confirm, register
from tests.domain.engine_world import A, Member, U
from tests.domain.test_engine_p0 import zhao_lei
from tests.domain.test_engine_p5_p8 import removed_lapsed_xie_jun
from tests.domain.test_engine_paths import chen_chen

FOUR_CLEAR = {"nature": "permanent", "mobile": "13905567777", "backup_contact": "叶红（姐）13800001111"}


def test_pt_transfer_reissued_after_expiry_moves_the_member_to_the_receiving_branch() -> None:
    m = Member("叶青")
    register(m)
    letter = {"letter_no": "安河组转〔2024〕015号", "to_unit": U["B4"], "nature": "permanent",
              "valid_until": "2024-05-01", "four_clear": FOUR_CLEAR}  # fmt: skip
    m.add("RelationTransferred", letter, "周明", "2024-02-01")
    pocket = {"letter_no": letter["letter_no"], "transferred_out_on": "2024-02-01", "receiving_org": "青石村党支部",
              "checked_with_receiver_on": "2024-05-06", "whereabouts_known": True}  # fmt: skip
    m.add("PocketMemberFlagged", pocket, "吴芳", "2024-05-06")
    assert m.file.state is MemberState.NORMAL and POCKET in m.file.flags and not m.file.case_open
    reissue = {"original_letter_no": letter["letter_no"], "reason": "letter_expired",
               "identity_verified": {"by": A["李静"], "on": "2024-05-18", "basis": "身份证核验"},
               "letter_no": "安河组转〔2024〕031号", "to_unit": U["B4"], "valid_until": "2024-08-20"}  # fmt: skip
    m.add("TransferReissued", reissue, "周明", "2024-05-20")
    m.add("RelationReceived", {"letter_no": "安河组转〔2024〕031号"}, "潘越", "2024-05-28")
    assert m.file.home(m.file.entries[-1].occurred_at) == U["B4"] and POCKET not in m.file.flags
    dues = {"kind": "dues", "period": "2024-06"}
    assert m.try_("ParticipationRecorded", dues, "周明", "2024-06-05") == ["wrong-level"]
    m.add("ParticipationRecorded", dues, "潘越", "2024-06-05")


def test_pm_certificate_only_for_members_in_normal_management() -> None:
    zhao = zhao_lei()
    confirm(zhao, "2024-09-05")
    cert = mobile_certificate("流动〔2024〕007")
    assert zhao.try_("MobileCertificateIssued", cert, "周明", "2024-09-10") == ["step-not-allowed"]
    chen = chen_chen()
    p1_approved(chen)
    mobile_certificates(chen, "流动〔2024〕007")


def test_pa_appeal_reconsidered_revokes_the_removal_and_reopens_the_case() -> None:
    m, removal = removed_lapsed_xie_jun()
    appeal = lodge(m, removal)
    basis = m.add("AppealReviewed", appeal_review(appeal), "蒋华", "2024-07-15")
    assert m.file.state is MemberState.REMOVED_LAPSED
    revoke = {"target": removal, "basis": basis, "reasons": "事实不清"}
    m.add("DispositionRevoked", revoke, "陈刚", "2024-07-22")
    assert m.file.state is MemberState.CONTACTED and m.file.case_open
    m.add("AppealAnswered", answer(appeal), "蒋华", "2024-07-25")


def test_pa_records_must_name_a_real_appeal_at_the_right_unit() -> None:
    m, removal = removed_lapsed_xie_jun()
    assert m.try_("AppealAnswered", answer(removal), "蒋华", "2024-07-25") == ["appeal-invalid"]
    appeal = lodge(m, removal)
    body = appeal_review(appeal, kind="re_examination")
    assert m.try_("AppealReviewed", body, "蒋华", "2024-07-15") == ["appeal-invalid"]
    m.add("AppealReviewed", body, "苗青", "2024-07-15")


def test_revocation_needs_an_appeal_or_look_back_decision() -> None:
    m = Member("黄海")
    approval = through_p4_approval(m, HUANG)
    p42 = next(e.hash for e in m.file.entries if e.ref == ("P4", "P4.2"))
    revoke = {"target": approval, "basis": p42, "reasons": "纠正"}
    assert m.try_("DispositionRevoked", revoke, "孙波", "2025-03-10") == ["remedy-without-basis"]
