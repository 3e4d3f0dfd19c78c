"""Statement bodies in general: registry, examples, strict JSON types, error paths."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from domain.statements import (
    BODY_MODELS,
    PATH_STATEMENTS,
    STATEMENT_LABELS,
    BodyValidationError,
    PathBody,
    validate_body,
)

CATALOGUE = [
    "UnitRegistered",
    "UnitDissolved",
    "ActorRegistered",
    "Corrected",
    "Attested",
    "ReviewCampaignOpened",
    "MemberRegistered",
    "MemberDataCorrected",
    "FullMembershipRecorded",
    "ParticipationRecorded",
    "AbsenceRecorded",
    "OutOfControlListed",
    "LostContactConfirmed",
    "PocketMemberFlagged",
    "SearchAttemptRecorded",
    "ContactRestored",
    "UncontactableConfirmed",
    "DeathConfirmed",
    "ConductInvestigated",
    "TalkHeld",
    "ViolationReferred",
    "DisciplineRecorded",
    "CommitteeOpinionGiven",
    "PreReviewed",
    "GuidanceAttended",
    "GeneralMeetingResolved",
    "MemberSigned",
    "SignatureRefusalNoted",
    "Reviewed",
    "Approved",
    "Rejected",
    "Filed",
    "MemberNotified",
    "Announced",
    "PathWithdrawn",
    "EducationSupportRecorded",
    "CorrectionPeriodSet",
    "CorrectionPeriodEnded",
    "WithdrawalAdvised",
    "WithdrawalAdviceAnswered",
    "WithdrawalApplied",
    "RestorationApplied",
    "OrganisationalLifeResumed",
    "RelationTransferred",
    "TransferReissued",
    "RelationReceived",
    "MobileCertificateIssued",
    "AppealLodged",
    "AppealReviewed",
    "AppealAnswered",
    "DispositionRevoked",
    "LookBackReviewed",
    "LookBackRectified",
    "HistoricalRecordEntered",
    "MaterialAttached",
]
# §2.5 and the §2.6 acts marked `ref`.
REF_REQUIRED = {
    "CommitteeOpinionGiven", "PreReviewed", "GuidanceAttended", "GeneralMeetingResolved", "MemberSigned",
    "SignatureRefusalNoted", "Approved", "Rejected", "Filed", "MemberNotified", "Announced", "PathWithdrawn",
    "CorrectionPeriodSet", "CorrectionPeriodEnded", "WithdrawalAdvised", "WithdrawalAdviceAnswered",
}  # fmt: skip
HASH = "ab" * 32


def examples_of(type_name: str) -> list[dict[str, Any]]:
    """The example bodies ``type_name`` declares for the OpenAPI page."""
    extra: Any = BODY_MODELS[type_name].model_config.get("json_schema_extra")
    assert isinstance(extra, dict)
    bodies: list[dict[str, Any]] = extra["examples"]
    return bodies


def example(type_name: str) -> dict[str, Any]:
    """A fresh copy of the first example body of ``type_name``."""
    return copy.deepcopy(examples_of(type_name)[0])


def problems(type_name: str, body: Any) -> list[dict[str, str]]:
    """The errors ``validate_body`` reports (empty when the body is valid)."""
    try:
        validate_body(type_name, body)
    except BodyValidationError as exc:
        assert exc.errors
        return exc.errors
    return []


def refused_at(type_name: str, body: Any, path: str) -> dict[str, str]:
    """Assert the body is refused with an error at ``path``; return that error."""
    found = [e for e in problems(type_name, body) if e["path"] == path]
    assert found, (path, problems(type_name, body))
    return found[0]


def accepted(type_name: str, body: Any) -> None:
    assert problems(type_name, body) == []


def test_the_catalogue_has_one_model_per_type_except_the_kernel_keys() -> None:
    assert list(BODY_MODELS) == CATALOGUE
    assert "KeyEnrolled" not in BODY_MODELS and "KeyRevoked" not in BODY_MODELS
    assert all(model.__name__ == name for name, model in BODY_MODELS.items())


def test_labels_are_the_chinese_names_of_the_catalogue() -> None:
    assert set(STATEMENT_LABELS) == set(BODY_MODELS)
    assert STATEMENT_LABELS["SearchAttemptRecorded"] == "联系查找记录"
    assert STATEMENT_LABELS["GeneralMeetingResolved"] == "支部党员大会决议"
    assert STATEMENT_LABELS["LookBackReviewed"] == "回头看审核"
    assert STATEMENT_LABELS["HistoricalRecordEntered"] == "补录纸质记录"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in STATEMENT_LABELS.values())


@pytest.mark.parametrize("type_name", CATALOGUE)
def test_every_example_validates(type_name: str) -> None:
    assert examples_of(type_name)
    for body in examples_of(type_name):
        assert isinstance(validate_body(type_name, body), BODY_MODELS[type_name])


@pytest.mark.parametrize("type_name", CATALOGUE)
def test_every_model_has_a_json_schema_with_its_example(type_name: str) -> None:
    schema = BODY_MODELS[type_name].model_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["examples"] == [example(type_name)]
    assert BODY_MODELS[type_name].__doc__


@pytest.mark.parametrize("type_name", CATALOGUE)
def test_unknown_keys_are_refused(type_name: str) -> None:
    body = example(type_name)
    body["unexpected"] = "x"
    assert refused_at(type_name, body, "body.unexpected")["code"] == "extra_forbidden"


@pytest.mark.parametrize("type_name", CATALOGUE)
def test_bodies_are_frozen(type_name: str) -> None:
    model = validate_body(type_name, example(type_name))
    name = next(iter(type(model).model_fields))
    with pytest.raises(ValidationError):
        setattr(model, name, None)


def test_path_statements_carry_ref() -> None:
    assert {name for name, m in BODY_MODELS.items() if issubclass(m, PathBody)} == REF_REQUIRED
    assert REF_REQUIRED | {"Reviewed"} == PATH_STATEMENTS


@pytest.mark.parametrize("type_name", sorted(REF_REQUIRED))
def test_a_path_statement_without_ref_is_refused(type_name: str) -> None:
    body = example(type_name)
    del body["ref"]
    assert refused_at(type_name, body, "body.ref")["code"] == "missing"


@pytest.mark.parametrize("type_name", sorted(REF_REQUIRED | {"MaterialAttached"}))
def test_remedies_names_a_statement_hash(type_name: str) -> None:
    body = example(type_name)
    body["remedies"] = HASH
    accepted(type_name, body)
    body["remedies"] = HASH.upper()
    refused_at(type_name, body, "body.remedies")


@pytest.mark.parametrize(
    ("ref", "path"),
    [
        ({"path": "P12", "step": "P12.1"}, "body.ref.path"),
        ({"path": "P4", "step": "4.1"}, "body.ref.step"),
        ({"path": "P4", "step": "P4.1 "}, "body.ref.step"),
        ({"path": "P4"}, "body.ref.step"),
        ({"path": "p4", "step": "P4.1"}, "body.ref.path"),
    ],
)
def test_ref_names_a_known_path_and_a_well_formed_step(ref: dict[str, str], path: str) -> None:
    body = example("PreReviewed")
    body["ref"] = ref
    refused_at("PreReviewed", body, path)


@pytest.mark.parametrize("step", ["P0.7a", "P4.2g", "P1.0t", "PR.0i", "PT.1r", "P5.11a", "P10.9", "PH.1"])
def test_step_ids_of_section_4_are_well_formed(step: str) -> None:
    body = example("PreReviewed")
    body["ref"] = {"path": "P4", "step": step}
    accepted("PreReviewed", body)


def int_leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths to every int (not bool) inside a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from int_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from int_leaves(item, (*path, index))
    elif type(value) is int:
        yield path


def replaced(body: dict[str, Any], path: tuple[Any, ...], new: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    target: Any = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return body


INT_CASES = [(name, path) for name in CATALOGUE for path in int_leaves(example(name))]


def test_the_examples_hold_integers_to_test() -> None:
    assert len(INT_CASES) > 30


@pytest.mark.parametrize(("type_name", "path"), INT_CASES, ids=[f"{n}:{p}" for n, p in INT_CASES])
def test_no_coercion_into_integers(type_name: str, path: tuple[Any, ...]) -> None:
    body = example(type_name)
    number: Any = body
    for part in path:
        number = number[part]
    for wrong in (float(number), str(number), number == 1):
        assert problems(type_name, replaced(body, path, wrong)), wrong


@pytest.mark.parametrize(
    ("type_name", "key", "wrong"),
    [
        ("AbsenceRecorded", "reported_to_branch", 0),
        ("AbsenceRecorded", "reported_to_branch", "false"),
        ("AbsenceRecorded", "abroad", None),
        ("PocketMemberFlagged", "whereabouts_known", 1),
        ("UnitRegistered", "has_committee", "true"),
        ("Filed", "files_transferred", 0),
    ],
)
def test_no_coercion_into_booleans(type_name: str, key: str, wrong: Any) -> None:
    body = example(type_name)
    body[key] = wrong
    refused_at(type_name, body, f"body.{key}")


def test_floats_are_refused_even_in_free_json() -> None:
    body = {"corrects": HASH, "reason": "数据有误", "replacement": {"attempt_no": 1, "x": [{"y": 1.5}]}}
    error = refused_at("Corrected", body, "body.replacement")
    assert "float" in error["message"]
    data: dict[str, Any] = {"field": 34, "old_value": 2.0, "verification": "verified", "source": "档案"}
    refused_at("MemberDataCorrected", data, "body.old_value")
    data["old_value"] = 2**60
    refused_at("MemberDataCorrected", data, "body.old_value")


@pytest.mark.parametrize(
    "wrong",
    [
        "2024-02-30",
        "2024-2-01",
        "20240201",
        "2024-02-01T00:00:00",
        "２０２４-０２-０１",
        "0000-01-01",
        20240201,
        None,
    ],
)
def test_dates_are_real_dates_written_yyyy_mm_dd(wrong: Any) -> None:
    body = example("GuidanceAttended")
    body["meeting_date"] = wrong
    refused_at("GuidanceAttended", body, "body.meeting_date")


@pytest.mark.parametrize(
    ("value", "ok"), [("2024-03", True), ("2024-13", False), ("2024-3", False), ("2024-03-01", False)]
)
def test_year_months(value: str, ok: bool) -> None:
    body = {"kind": "dues", "period": value, "amount_fen": 100}
    assert (problems("ParticipationRecorded", body) == []) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("2024-05", True), ("2024-05-30", True), ("2024-05-32", False), ("2024", False)]
)
def test_date_or_year_month(value: str, ok: bool) -> None:
    body = example("DeathConfirmed")
    body["died_on"] = value
    assert (problems("DeathConfirmed", body) == []) is ok


@pytest.mark.parametrize("wrong", [HASH.upper(), HASH[:-1], HASH + "0", "g" * 64, 5])
def test_hashes_are_64_lower_case_hex(wrong: Any) -> None:
    refused_at("OutOfControlListed", {"absence": wrong}, "body.absence")


@pytest.mark.parametrize(
    "wrong",
    [
        "6F1C2A00-0000-4000-8000-0000000000B1",
        "{6f1c2a00-0000-4000-8000-0000000000b1}",
        "6f1c2a0000004000800000000000000b1",
        "urn:uuid:6f1c2a00-0000-4000-8000-0000000000b1",
    ],
)
def test_uuids_are_canonical_lower_case(wrong: str) -> None:
    body = example("UnitDissolved")
    body["successor"] = wrong
    refused_at("UnitDissolved", body, "body.successor")


@pytest.mark.parametrize(
    ("value", "ok"), [("", False), ("   ", False), ("x" * 2000, True), ("x" * 2001, False)]
)
def test_required_text_is_not_blank_and_at_most_2000_characters(value: str, ok: bool) -> None:
    body = {"reason": value, "ref": {"path": "P4", "step": "P4.1"}}
    assert (problems("PathWithdrawn", body) == []) is ok


def test_optional_text_may_be_an_empty_box() -> None:
    accepted("OutOfControlListed", {"absence": HASH, "note": ""})


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"sha256": HASH, "media_type": "PDF", "title": "扫描件"}, "body.evidence.media_type"),
        ({"sha256": HASH, "media_type": "application/pdf", "title": " "}, "body.evidence.title"),
        ({"sha256": HASH, "media_type": "application/pdf"}, "body.evidence.title"),
        ({"sha256": "x", "media_type": "application/pdf", "title": "扫描件"}, "body.evidence.sha256"),
    ],
)
def test_documents_carry_hash_media_type_and_title(doc: dict[str, str], path: str) -> None:
    body = example("DeathConfirmed")
    body["evidence"] = doc
    refused_at("DeathConfirmed", body, path)


def test_errors_are_json_paths_with_messages() -> None:
    body = example("GeneralMeetingResolved")
    body["vote"]["present_voters"] = 20.0
    body["excluded"][0]["count"] = 0
    errors = problems("GeneralMeetingResolved", body)
    assert {e["path"] for e in errors} == {"body.vote.present_voters", "body.excluded[0].count"}
    assert all(e["message"] and e["code"] for e in errors)


def test_unknown_types_and_non_objects_are_refused() -> None:
    with pytest.raises(BodyValidationError) as caught:
        validate_body("Nonsense", {})
    assert caught.value.errors[0]["path"] == "type"
    assert isinstance(caught.value, ValueError)
    with pytest.raises(BodyValidationError, match="ledger kernel"):
        validate_body("KeyEnrolled", {"actor": "x"})
    not_objects: list[Any] = [[], "x", None, 5]
    for wrong in not_objects:
        assert problems("Attested", wrong)[0]["path"] == "body"


def test_a_missing_required_field_is_named() -> None:
    assert refused_at("Attested", {"attests": HASH}, "body.capacity")["code"] == "missing"
