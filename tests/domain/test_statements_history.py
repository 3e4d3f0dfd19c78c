"""补录 (HistoricalRecordEntered): the wrapped record is validated as its type, with named persons allowed."""

from __future__ import annotations

from typing import Any

import pytest

from domain.fields import HistoricalActor
from domain.statements import (
    BODY_MODELS,
    EXCLUDED_RECORD_TYPES,
    RECORD_MODELS,
    HistoricalRecordEntered,
    validate_body,
)
from domain.statements.examples import UNIT_B1
from tests.domain.test_statements import HASH, accepted, example, problems, refused_at

SIGNERS = [{"name": "何立", "role": "SEC", "unit": UNIT_B1}]
SOURCES = [{"sha256": HASH, "media_type": "application/pdf", "title": "原件扫描", "form": "writeup"}]


def entry(record_type: str, record_body: Any, **extra: Any) -> dict[str, Any]:
    return {
        "record_type": record_type,
        "record_body": record_body,
        "original_signers": SIGNERS,
        "sources": SOURCES,
        **extra,
    }


@pytest.mark.parametrize("record_type", sorted(RECORD_MODELS))
def test_every_allowed_type_can_be_entered_with_its_example(record_type: str) -> None:
    accepted("HistoricalRecordEntered", entry(record_type, example(record_type)))


def test_the_allowed_types_are_sections_2_2_to_2_8_less_the_exclusions() -> None:
    kernel = {"UnitRegistered", "UnitDissolved", "ActorRegistered", "Corrected", "Attested"}
    assert set(RECORD_MODELS) == set(BODY_MODELS) - kernel - EXCLUDED_RECORD_TYPES
    assert "MemberRegistered" in RECORD_MODELS and "ReviewCampaignOpened" in RECORD_MODELS


@pytest.mark.parametrize(
    "record_type",
    sorted(EXCLUDED_RECORD_TYPES | {"UnitRegistered", "ActorRegistered", "KeyEnrolled", "Nonsense"}),
)
def test_excluded_and_unknown_types_are_refused(record_type: str) -> None:
    refused_at("HistoricalRecordEntered", entry(record_type, {}), "body.record_type")


def test_errors_inside_the_record_have_nested_paths() -> None:
    record = example("GeneralMeetingResolved")
    record["vote"]["present_voters"] = "21"
    record["text"] = " "
    errors = problems("HistoricalRecordEntered", entry("GeneralMeetingResolved", record))
    assert {e["path"] for e in errors} == {
        "body.record_body.vote.present_voters",
        "body.record_body.text",
    }


def test_the_record_body_is_a_json_object_without_floats() -> None:
    refused_at("HistoricalRecordEntered", entry("TalkHeld", ["x"]), "body.record_body")
    refused_at("HistoricalRecordEntered", entry("TalkHeld", {"summary": 1.5}), "body.record_body")


def test_an_actor_field_may_name_a_person_in_a_paper_record() -> None:
    record = example("SearchAttemptRecorded")
    record["searchers"] = [{"name": "何立", "role": "SEC", "standing": "full"}, record["searchers"][0]]
    parsed = validate_body("HistoricalRecordEntered", entry("SearchAttemptRecorded", record))
    assert isinstance(parsed, HistoricalRecordEntered)
    wrapped = parsed.record()
    assert type(wrapped).__name__ == "SearchAttemptRecorded"
    searchers = wrapped.model_dump()["searchers"]
    assert searchers[0] == {"name": "何立", "role": "SEC", "unit": None, "standing": "full"}
    assert isinstance(getattr(wrapped, "searchers")[0], HistoricalActor)  # noqa: B009
    assert searchers[1] == record["searchers"][1]
    refused_at("SearchAttemptRecorded", record, "body.searchers[0]")


@pytest.mark.parametrize(
    ("person", "path"),
    [
        ({"role": "SEC"}, "body.record_body.talkers[0].name"),
        ({"name": "何立", "role": "secretary"}, "body.record_body.talkers[0].role"),
        ({"name": "何立", "standing": "member"}, "body.record_body.talkers[0].standing"),
        ({"name": "何立", "age": 50}, "body.record_body.talkers[0].age"),
        ("何立", "body.record_body.talkers[0]"),
    ],
)
def test_a_named_person_is_checked(person: Any, path: str) -> None:
    record = {**example("TalkHeld"), "talkers": [person]}
    refused_at("HistoricalRecordEntered", entry("TalkHeld", record), path)


def test_nested_actor_fields_accept_names_too() -> None:
    record = example("TransferReissued")
    record["identity_verified"]["by"] = {"name": "王某", "role": "CST"}
    accepted("HistoricalRecordEntered", entry("TransferReissued", record))
    record = {**example("EducationSupportRecorded"), "partner": {"name": "郑某"}}
    accepted("HistoricalRecordEntered", entry("EducationSupportRecorded", record))


def test_missing_scans_are_left_to_guard_3() -> None:
    record = example("TalkHeld")
    accepted("HistoricalRecordEntered", entry("TalkHeld", record, sources=[]))
    accepted("HistoricalRecordEntered", entry("TalkHeld", record, sources=[{"title": "扫描件"}]))
    bad = [{"sha256": "x", "title": "扫描件"}]
    refused_at("HistoricalRecordEntered", entry("TalkHeld", record, sources=bad), "body.sources[0].sha256")


def test_original_signers_are_declared() -> None:
    record = example("TalkHeld")
    refused_at(
        "HistoricalRecordEntered", entry("TalkHeld", record, original_signers=[]), "body.original_signers"
    )
    signers = [{"name": "何立", "role": "SEC"}]
    refused_at(
        "HistoricalRecordEntered",
        entry("TalkHeld", record, original_signers=signers),
        "body.original_signers[0].unit",
    )
