"""§7 scenarios 36, 48–49 (P10 window, 补录 findings) and the replay properties."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from api.demo.paths_history import ENTERED_ON, historical_body
from domain.engine import decide
from domain.evolve import replay
from domain.member import MemberFile
from domain.settings import DomainSettings
from domain.statements import BODY_MODELS, BodyValidationError, validate_body
from domain.states import ALLOWANCES, MemberState
from tests.domain.engine_steps import attempt_body, register
from tests.domain.engine_world import WORLD, A, Member, U, digest, doc, stmt


def historical(m: Member, kind: str, body: dict[str, Any], on: str, role: str = "SEC", unit: str = "B1",
               sources: list[dict[str, Any]] | None = None) -> list[str]:  # fmt: skip
    """补录 of a record 何立 signed on paper, entered by 吴芳 unless refused; the refusal codes."""
    wrapper = historical_body(m, kind, body, "何立", role, unit, sources)
    refused = m.try_("HistoricalRecordEntered", wrapper, "吴芳", on, recorded=ENTERED_ON)
    if not refused:
        m.add("HistoricalRecordEntered", wrapper, "吴芳", on, recorded=ENTERED_ON)
    return refused


def findings_of(m: Member) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for f in m.file.findings:
        seq = next(e.seq for e in m.file.entries if e.hash == f.hash)
        out.setdefault(seq, []).append(f.code)
    return out


def test_paper_records_enter_with_findings_and_evolve_as_written() -> None:
    m = Member("阎磊")
    assert (
        historical(
            m,
            "MemberRegistered",
            {
                "name": "阎磊",
                "member_type": "full",
                "joined_on": "2000-01-01",
                "full_on": "2001-01-01",
                "home": U["B1"],
            },
            "2016-03-01",
        )
        == []
    )
    historical(
        m,
        "LostContactConfirmed",
        {"last_contact_date": "2015-06-30", "cause": 1, "org_category": 7, "reference_date": "2016-04-01"},
        "2016-04-01",
    )
    one = {
        **attempt_body(1, "direct", []),
        "searchers": [{"name": "何立", "role": "SEC", "standing": "full"}],
    }
    historical(m, "SearchAttemptRecorded", one, "2016-04-20")
    historical(
        m,
        "UncontactableConfirmed",
        {
            "cmeeting": {"date": "2016-05-10", "members_total": 5, "members_present": 5, "members_for": 5},
            "attempts": [m.head],
            "opinion": "无法联系",
            "proposed": "suspend_uncontactable",
        },
        "2016-05-10",
    )
    assert m.file.state is MemberState.LOST_UNCONTACTABLE
    historical(
        m,
        "Approved",
        {
            "ref": {"path": "P10", "step": "P10.8"},
            "outcome": "remove_lapsed",
            "opinion": "同意",
            "decision": doc("批复"),
            "cmeeting": {"date": "2016-06-01", "members_total": 7, "members_present": 6, "members_for": 6},
        },
        "2016-06-01",
        role="CSEC",
        unit="C1",
    )
    found = findings_of(m)
    assert found[3][0] == "search-needs-two-full-member-signers"
    assert found[4][0] == "search-insufficient"
    assert found[5][0] == "approval-level"
    assert m.file.state is MemberState.REMOVED_LAPSED


def test_paper_records_need_sources_and_must_predate_live_records() -> None:
    m = Member("阎磊")
    body = {
        "name": "阎磊",
        "member_type": "full",
        "joined_on": "2000-01-01",
        "full_on": "2001-01-01",
        "home": U["B1"],
    }
    assert historical(m, "MemberRegistered", body, "2016-03-01", sources=[]) == ["historical-source-missing"]
    assert historical(m, "MemberRegistered", body, "2021-03-01") == ["historical-not-allowed"]


TYPES = sorted({name for row in ALLOWANCES for name in row.names if not name.startswith("P")})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(TYPES), min_size=1, max_size=8), st.integers(0, 300))
def test_random_statements_never_reach_a_state_the_tables_do_not_allow(kinds: list[str], offset: int) -> None:
    m = Member("随机")
    register(m)
    for i, kind in enumerate(kinds):
        body: dict[str, Any] = {"via": "member_initiative", "whereabouts": "本地", "kind": "dues",
                                "source": "family", "evidence": doc("x"), "sanction": "expulsion",
                                "decided_by": "纪委", "decided_on": "2024-01-01", "decision": doc("d")}  # fmt: skip
        model = BODY_MODELS[kind]
        body = {k: v for k, v in body.items() if k in model.model_fields}
        try:
            validate_body(kind, body)
        except BodyValidationError:
            continue
        before = m.file.state
        st_ = m.statement(kind, body, "周明", f"2024-{1 + (offset + i) % 12:02d}-10")
        result = decide(m.file, st_, digest(st_), "2024-12-31T00:00:00.000000Z", WORLD, DomainSettings())
        if not result.refusals:
            m.file, m.seq, m.head = result.state, m.seq + 1, digest(st_)
            assert m.file.state is not None
            if before is not None and before.terminal:
                assert m.file.state is before


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ParticipationRecorded", "TalkHeld", "AbsenceRecorded", "DeathConfirmed"]),
        max_size=6,
    )
)
def test_replaying_a_stream_gives_the_same_state(kinds: list[str]) -> None:
    m = Member("重放")
    register(m)
    for kind in kinds:
        body = {"kind": "dues", "talkers": [A["周明"]], "attitude": [], "summary": "s", "departed_on": "2024-01-01",
                "reported_to_branch": True, "abroad": False, "source": "family", "evidence": doc("e")}  # fmt: skip
        if kind == "TalkHeld":
            body["kind"] = "education"
        allowed = {k: v for k, v in body.items()}
        st_ = m.statement(kind, allowed, "周明", "2024-02-01")
        result = decide(m.file, st_, digest(st_), "2024-02-01T00:00:00.000000Z", WORLD, DomainSettings())
        if not result.refusals:
            m.file, m.seq, m.head = result.state, m.seq + 1, digest(st_)
    again = replay(m.file.log)
    assert again == m.file
    assert replay(m.file.log) == again
    assert MemberFile() == replay(())
    assert stmt  # the builder stays importable
