"""Member data after registration: 五核查 corrections, 转正, participation and absences (procedures §2.2)."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import ConfigDict, Field, Strict, TypeAdapter, ValidationError

from domain.fields import Count, Date, Doc, JsonValue, OptionalText, ShortText, Text, YearMonth
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, Problems
from domain.statements.registration import (
    MEMBER_FIELDS,
    OPINION_FIELDS,
    MemberRegistered,
    RegistrationOpinion,
)
from domain.statements.vocab_case import ParticipationKind, Purpose, TransferNature, Verification

#: Fields that ``MemberDataCorrected`` may verify but not change: the home branch changes only by
#: ``RelationReceived`` (§1.2), the member type only by ``FullMembershipRecorded`` (§3.4).
UNCORRECTABLE_FIELDS = frozenset({20, 24})


@cache
def _field_adapter(number: int) -> TypeAdapter[Any]:
    """The type of registration field ``number``, for validating a corrected value."""
    if number in OPINION_FIELDS:
        return TypeAdapter(RegistrationOpinion | None)
    info = MemberRegistered.model_fields[MEMBER_FIELDS[number][0]]
    field_type: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(field_type)


class MemberDataCorrected(Body):
    """党员信息核实更正 (五核查): one field of the registration form verified, corrected or flagged.

    ``field`` is the printed field number (forms §3.1). A ``corrected`` entry carries ``new_value`` (JSON
    null clears an optional field), validated as that field of ``MemberRegistered``; the other results
    carry none. Fields 20 and 24 cannot be corrected here (see :data:`UNCORRECTABLE_FIELDS`).
    """

    label = "党员信息核实更正"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "field": 7,
                "old_value": "13905561234",
                "new_value": "13905569876",
                "verification": "corrected",
                "source": "本人电话确认，2017年3月核查",
            }
        )
    )

    field: Annotated[int, Strict(), Field(ge=1, le=34)]
    old_value: JsonValue = None
    new_value: JsonValue = None
    verification: Verification
    source: Text

    def cross_field_rules(self, problems: Problems) -> None:
        given = "new_value" in self.model_fields_set
        if self.verification != "corrected":
            if given:
                problems.unexpected("new_value", f"when verification is {self.verification}", self.new_value)
            return
        if self.field in UNCORRECTABLE_FIELDS:
            problems.add(
                "field", "not_correctable", "fields 20 and 24 change only by transfer or 转正 records"
            )
            return
        if not given:
            problems.missing("new_value", "when verification is corrected")
            return
        try:
            value = _field_adapter(self.field).validate_python(self.new_value, strict=True)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                problems.add(("new_value", *error["loc"]), error["type"], error["msg"], error.get("input"))
            return
        level = OPINION_FIELDS.get(self.field)
        if level is not None and isinstance(value, RegistrationOpinion) and value.level != level:
            problems.add(("new_value", "level"), "mismatch", f"field {self.field} holds the {level} opinion")


class FullMembershipRecorded(Body):
    """转正记录: the probationary member became a full member (member type for guards 14–15)."""

    label = "转正记录"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {"approved_on": "2024-06-20", "decision": ex.doc("党委关于同意按期转正的批复")}
        )
    )

    approved_on: Date
    decision: Doc


class ParticipationRecorded(Body):
    """组织生活 / 党费记录: organisational life, dues or assigned work; feeds the last-contact date.

    ``period`` (the dues month) and ``amount_fen`` (in 分, an integer) belong to dues only.
    """

    label = "组织生活 / 党费记录"
    model_config = ConfigDict(
        json_schema_extra=ex.examples({"kind": "dues", "period": "2024-03", "amount_fen": 1500})
    )

    kind: ParticipationKind
    period: YearMonth | None = None
    amount_fen: Count | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        if self.kind != "dues":
            for name in ("period", "amount_fen"):
                if getattr(self, name) is not None:
                    problems.unexpected(name, "unless kind is dues")


class FourClear(Checked):
    """四个清楚 on transfer-out ([002] 四): nature, mobile and WeChat, backup contact (destination beside)."""

    nature: TransferNature | None = None
    mobile: ShortText | None = None
    wechat: ShortText | None = None
    backup_contact: ShortText | None = None


class AbsenceRecorded(Body):
    """外出情况记录: a member left (for the 失控 clock: departure date, reported or not, abroad or not).

    ``settled`` is said only of a stay abroad; ``expected_return`` is not before ``departed_on``.
    """

    label = "外出情况记录"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "departed_on": "2024-01-10",
                "reported_to_branch": False,
                "destination": "广东省深圳市",
                "abroad": False,
                "purpose": "work",
                "four_clear": {
                    "nature": "temporary",
                    "mobile": "13905561234",
                    "backup_contact": "赵强（兄）13800000000",
                },
            }
        )
    )

    departed_on: Date
    reported_to_branch: bool
    reported_on: Date | None = None
    destination: OptionalText | None = None
    abroad: bool
    settled: bool | None = None
    purpose: Purpose | None = None
    expected_return: Date | None = None
    four_clear: FourClear | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        if self.settled is not None and not self.abroad:
            problems.unexpected("settled", "unless abroad is true", self.settled)
        if self.expected_return is not None and self.expected_return < self.departed_on:
            problems.add("expected_return", "order", "expected_return is before departed_on")
