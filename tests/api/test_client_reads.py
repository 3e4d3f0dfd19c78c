"""The SDK's typed reports, access log, stream and transparency reads against the real ASGI app.

Each method's answer is the typed model the service documents; the ``.xlsx`` methods return the bytes of
a workbook openpyxl opens; the transparency methods let a monitor prove the log only grew.
"""

from __future__ import annotations

import io
import time
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api import pdf
from api.client import LedgerApiError, LedgerClient, VerificationFailed
from api.client_reads import AccessLogPage
from api.report_schemas import Lookback, Register, Statistics
from ledger import keys, merkle, note
from tests.api.story_served import StoryServed, story_served
from tests.domain.engine_world import U
from tests.pages.test_browser import require_chromium

__all__ = ["story_served"]
DUES = {"kind": "dues", "period": "2026-02", "amount_fen": 1500}


def _sdk(ss: StoryServed, name: str, tmp_path: Path) -> LedgerClient:
    actor = ss.actor(name)
    path = tmp_path / f"{actor.id}.pem"
    if not path.exists():
        keys.save_private_key(actor.key, path, None)
    verifier = ss.story.driver.system.verifier_key()
    return LedgerClient("http://testserver", actor.id, path, http=ss.served.client, verifier_key=verifier)


def _title(xlsx: bytes) -> str:
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    return " ".join(str(cell) for row in sheet.iter_rows(max_row=3, values_only=True) for cell in row if cell)


def test_the_reports_come_typed_and_as_xlsx(story_served: StoryServed, tmp_path: Path) -> None:
    ss = story_served
    sdk = _sdk(ss, "孙波", tmp_path)  # 党委书记 of C1
    roster = sdk.unit_register(U["C1"])
    assert isinstance(roster, Register) and roster.title == "失联党员名册"
    assert roster.fill_date == "2026-03-14" and roster.unit.id == U["C1"]
    story = ss.story
    assert {row["member_id"] for row in roster.rows} == {
        story.xie.stream,
        story.huang.stream,
        story.zhao.stream,
    }
    earlier = sdk.unit_register(U["C1"], "roster", as_of="2020-01-01", basis="recorded")
    assert earlier.fill_date == "2020-01-01" and earlier.basis == "recorded" and not earlier.rows
    assert "失联党员名册" in _title(sdk.unit_register_xlsx(U["C1"]))
    contacted = sdk.unit_register(U["C1"], "contacted")
    assert {row["member_id"] for row in contacted.rows} == {story.xie.stream, story.huang.stream}
    uncontactable = sdk.unit_register(U["C1"], "uncontactable")
    assert [row["member_id"] for row in uncontactable.rows] == [story.zhao.stream]

    statistics = sdk.unit_statistics(U["C1"])
    assert isinstance(statistics, Statistics) and statistics.ok and statistics.at == "2026-03-14"
    assert all(check.holds for check in statistics.checks) and statistics.counts["A"] == 3
    assert "统计表" in _title(sdk.unit_statistics_xlsx(U["C1"]))
    assert statistics.members_total == 3 and statistics.members_limit == 500 and len(statistics.members) == 3
    second = sdk.unit_statistics(U["C1"], members_offset=1, members_limit=1)
    assert [m.member_id for m in second.members] == [statistics.members[1].member_id]
    assert second.counts == statistics.counts and second.members_offset == 1
    every = sdk.unit_statistics(U["C1"], members_limit=None)
    assert every.members_limit is None and every.members == statistics.members

    lookback = sdk.unit_lookback(U["C1"], as_of="2026-03-14")
    assert isinstance(lookback, Lookback) and lookback.as_of == "2026-03-14"
    assert [(m.name, [f.code for f in m.findings]) for m in lookback.members] == [("谢军", ["step-missing"])]
    assert [(c.code, c.count) for c in lookback.by_code] == [("step-missing", 1)]
    assert "回头看" in _title(sdk.unit_lookback_xlsx(U["C1"]))

    with pytest.raises(LedgerApiError) as refused:
        _sdk(ss, "宋青", tmp_path).unit_statistics(U["C1"])  # 党委书记 of C2: not her subtree
    assert refused.value.type == "out-of-scope" and refused.value.status == 403


def test_the_access_log_and_its_check_come_typed(story_served: StoryServed, tmp_path: Path) -> None:
    ss = story_served
    huang = ss.story.huang.stream
    _sdk(ss, "孙波", tmp_path).dossier(huang)
    admin = _sdk(ss, "admin", tmp_path)
    page = admin.access_log(member=huang)
    assert isinstance(page, AccessLogPage) and page.next_after is None
    assert [(row.view, row.actor, row.member) for row in page.rows] == [
        ("dossier", ss.actor("孙波").id, huang)
    ]
    assert page.rows[0].hash != page.rows[0].prev_hash
    assert admin.access_log(member=huang, after=page.rows[0].position).rows == []
    assert admin.access_log(since="2999-01-01").rows == []
    check = admin.verify_access_log()
    assert check.ok and check.rows >= 1 and check.first_broken is None
    assert check.checkpoint_failures == []

    kept = admin.access_log_checkpoint()
    verifier = note.VerifierKey.parse(ss.story.driver.system.verifier_key())
    signed = note.parse_checkpoint(kept, verifier, origin=f"{verifier.name}/access-log")
    assert signed.size == check.rows and signed.root == bytes.fromhex(check.head)
    _sdk(ss, "孙波", tmp_path).member_status(huang)  # one more read: the log now extends the kept note
    extended = admin.verify_access_log(held=kept)
    assert extended.ok and extended.rows == check.rows + 1 and extended.checkpoints.held == 1
    assert extended.checkpoints.issued >= 1 and extended.checkpoint_failures == []
    with pytest.raises(LedgerApiError) as foreign:
        admin.verify_access_log(held=kept.replace(f"{signed.size}\n", f"{signed.size + 1}\n", 1))
    assert foreign.value.status == 422 and foreign.value.type == "checkpoint-not-signed-by-ledger"
    with pytest.raises(LedgerApiError) as refused:
        _sdk(ss, "孙波", tmp_path).access_log()
    assert refused.value.type == "role-not-allowed"
    with pytest.raises(LedgerApiError) as refused:
        _sdk(ss, "孙波", tmp_path).access_log_checkpoint()
    assert refused.value.type == "role-not-allowed"


def test_a_monitor_proves_the_log_only_grew(story_served: StoryServed, tmp_path: Path) -> None:
    ss = story_served
    system = ss.story.driver.system
    system.bring_log_up_to_date()
    reader = _sdk(ss, "孙波", tmp_path)
    trusted = reader.checkpoint()
    clerk = _sdk(ss, "吴芳", tmp_path)  # 支部工作人员 of B1
    receipt = clerk.append(ss.story.zhao.stream, "ParticipationRecorded", DUES, "2026-03-14")
    system.bring_log_up_to_date()

    latest = reader.verify_consistency(trusted)
    assert latest.size == trusted.size + 1 and latest.root != trusted.root
    assert reader.verify_consistency(latest) == latest
    proof = reader.consistency_proof(trusted.size, latest.size)
    assert (proof.first, proof.second) == (trusted.size, latest.size) and proof.proof
    forged = replace(trusted, root=bytes(32))
    with pytest.raises(VerificationFailed):
        reader.verify_consistency(forged)

    inclusion = reader.inclusion_proof(latest.size, hash=receipt.hash)
    assert inclusion.index == latest.size - 1 and inclusion.tree_size == latest.size
    path = [bytes.fromhex(node) for node in inclusion.proof]
    leaf = bytes.fromhex(inclusion.leaf_hash)
    assert merkle.verify_inclusion(inclusion.index, latest.size, leaf, path, latest.root)
    assert reader.inclusion_proof(latest.size, position=inclusion.index) == inclusion
    leaves = reader.leaves(inclusion.index, inclusion.index + 5)
    assert [(leaf.position, leaf.hash) for leaf in leaves] == [(inclusion.index, receipt.hash)]
    with pytest.raises(LedgerApiError) as refused:
        reader.consistency_proof(latest.size, latest.size + 1)
    assert refused.value.type == "not-found"

    record = reader.stream(ss.story.zhao.stream)
    assert record.kind == "member" and record.checkpoint is not None
    assert record.checkpoint.tree_size == latest.size
    last = record.statements[-1]
    assert last.hash == receipt.hash and last.position == inclusion.index
    assert all(e.verification.signature and e.verification.chain for e in record.statements)
    assert last.verification.included and last.verification.inclusion is not None
    assert last.verification.inclusion.proof == inclusion.proof


@pytest.mark.browser
def test_the_dossier_downloads_as_pdf(story_served: StoryServed, tmp_path: Path) -> None:
    require_chromium()
    ss = story_served
    content = _sdk(ss, "周明", tmp_path).dossier_pdf(ss.story.xie.stream, as_of="2024-06-30")
    assert content.startswith(b"%PDF") and len(content) > 20_000


def test_a_lasting_503_is_not_retried(
    story_served: StoryServed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "CHROMIUM", ())
    monkeypatch.setenv("LEDGER_CHROMIUM", "")
    ss = story_served
    sdk = _sdk(ss, "周明", tmp_path)
    sdk.outage_budget = 60
    started = time.monotonic()
    with pytest.raises(LedgerApiError) as refused:
        sdk.dossier_pdf(ss.story.xie.stream, as_of="2024-06-30")
    assert refused.value.status == 503 and refused.value.problem["type"] == "pdf-unavailable"
    assert time.monotonic() - started < 5
