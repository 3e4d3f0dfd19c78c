"""Reusable field types for statement bodies, validated from plain JSON values without coercion.

A body arrives as the ``dict`` decoded from the signed JSON, so every type here is strict: ``"5"`` is not
an int, ``5.0`` and ``True`` are not ints, ``1`` is not a bool. Dates stay strings (``YYYY-MM-DD``, or
``YYYY-MM`` where a form asks only 年月), exactly as signed. No floats anywhere (``DESIGN.md``), and
integers stay within ±(2^53 − 1) so that every value survives RFC 8785 canonical JSON unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from domain.codes import Role, Standing
from domain.identity import IdNumberError, parse_id_number

T = TypeVar("T")
MAX_SAFE_INT = 2**53 - 1

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_HASH = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STEP_PATTERN = r"^P(?:[0-9]|1[01]|[RXNTMALH])\.[0-9]{1,2}[a-z]?$"


class StrictModel(BaseModel):
    """Base of every body and sub-object: strict types, unknown keys refused, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def as_date(value: str) -> dt.date:
    """The ``datetime.date`` of a validated :data:`Date` string."""
    return dt.date.fromisoformat(value)


def _date(value: str) -> str:
    if _DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise PydanticCustomError(
        "date", "expected a real date written YYYY-MM-DD, got '{value}'", {"value": value}
    )


def _year_month(value: str) -> str:
    if _YEAR_MONTH.fullmatch(value) and value[:4] != "0000":
        return value
    raise PydanticCustomError(
        "year_month", "expected a year and month written YYYY-MM, got '{value}'", {"value": value}
    )


def _date_or_year_month(value: str) -> str:
    return _year_month(value) if len(value) == 7 else _date(value)


def _pattern(kind: str, regex: re.Pattern[str], wanted: str) -> AfterValidator:
    def check(value: str) -> str:
        if regex.fullmatch(value):
            return value
        raise PydanticCustomError(
            kind, "expected {wanted}, got '{value}'", {"wanted": wanted, "value": value}
        )

    return AfterValidator(check)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty or only whitespace")
    return value


def _exact_int(value: Any) -> Any:
    # Literal[1, 2] would accept True and 1.0 (they compare equal); JSON codes are plain ints.
    if type(value) is not int:
        raise PydanticCustomError("int_type", "expected an integer code, got '{value}'", {"value": value})
    return value


def _unique(items: list[T]) -> list[T]:
    for index, item in enumerate(items):
        if item in items[:index]:
            raise PydanticCustomError("unique", "item {index} repeats an earlier item", {"index": index})
    return items


def _json(value: Any, path: str = "") -> None:
    if value is None or isinstance(value, str | bool):
        return
    if type(value) is int:
        if abs(value) > MAX_SAFE_INT:
            raise PydanticCustomError("json_int", "integer out of range at {path}", {"path": path or "."})
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _json(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise PydanticCustomError(
                    "json_key", "object keys must be strings at {path}", {"path": path or "."}
                )
            _json(item, f"{path}.{key}")
        return
    kind = "float" if isinstance(value, float) else type(value).__name__
    raise PydanticCustomError(
        "json_value", "no {kind} allowed in a statement (at {path})", {"kind": kind, "path": path or "."}
    )


def _json_value(value: Any) -> Any:
    _json(value)
    return value


def _json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PydanticCustomError("dict_type", "expected a JSON object")
    _json(value)
    return value


def _id_number(value: str) -> str:
    try:
        parse_id_number(value)
    except IdNumberError as exc:
        raise PydanticCustomError(
            "id_number", "invalid identity number: {reason}", {"reason": str(exc)}
        ) from None
    return value


StrictStr = Annotated[str, Strict()]
#: A real calendar date ``YYYY-MM-DD`` (kept as the string that was signed).
Date = Annotated[StrictStr, AfterValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
#: A year and month ``YYYY-MM`` (for fields a form asks only as 年月).
YearMonth = Annotated[
    StrictStr, AfterValidator(_year_month), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}$"})
]
#: Either a :data:`Date` or a :data:`YearMonth`.
DateOrYearMonth = Annotated[
    StrictStr,
    AfterValidator(_date_or_year_month),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}),
]
#: A SHA-256 statement or document hash: 64 lower-case hex characters.
Hash = Annotated[StrictStr, _pattern("hash", _HASH, "64 lower-case hex characters")]
#: A canonical lower-case UUID string (member, unit and actor ids).
Uuid = Annotated[
    StrictStr,
    _pattern("uuid", _UUID, "a lower-case UUID"),
    WithJsonSchema({"type": "string", "format": "uuid"}),
]
#: A non-negative integer (never a bool or a float).
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_SAFE_INT)]
#: A positive integer.
PositiveCount = Annotated[int, Strict(), Field(ge=1, le=MAX_SAFE_INT)]
#: Required free text: at most 2000 characters, not blank.
Text = Annotated[StrictStr, Field(max_length=2000), AfterValidator(_not_blank)]
#: Optional free text: at most 2000 characters, may be empty (a blank box on a paper form).
OptionalText = Annotated[StrictStr, Field(max_length=2000)]
#: Required short text (names, numbers, phones): at most 200 characters, not blank.
ShortText = Annotated[StrictStr, Field(max_length=200), AfterValidator(_not_blank)]
#: A step id of procedures §4 (``P4.2``, ``P5.11a``, ``PT.1r``); whether it belongs to its path is guard 11.
StepId = Annotated[StrictStr, Field(pattern=STEP_PATTERN)]
#: An 18-digit identity number valid under GB 11643-1999 (``domain.identity``).
IdNumber = Annotated[StrictStr, AfterValidator(_id_number)]
#: An integer code of a numbered list (``Literal`` of ints, refusing ``True`` and ``1.0``).
IntCode = Annotated[T, BeforeValidator(_exact_int)]
#: A list whose items are pairwise different.
UniqueList = Annotated[list[T], AfterValidator(_unique)]
#: A list with at least one item.
NonEmpty = Annotated[T, Field(min_length=1)]
#: The id of a review campaign (集中排查), e.g. ``anhe-2017``.
CampaignId = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
#: Any JSON value without floats (a value copied from a form or a body).
JsonValue = Annotated[Any, PlainValidator(_json_value), WithJsonSchema({})]
#: A JSON object without floats (a whole body, checked against its type elsewhere).
JsonObject = Annotated[dict[str, Any], PlainValidator(_json_object), WithJsonSchema({"type": "object"})]

PathId = Literal[
    "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11",
    "PR", "PX", "PN", "PT", "PM", "PA", "PL", "PH",
]  # fmt: skip


#: A lower-case media type without parameters, e.g. ``application/pdf``.
MediaType = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")]


class Doc(StrictModel):
    """A document kept outside the ledger (scan, letter, minutes), named by its SHA-256."""

    sha256: Hash
    media_type: MediaType
    title: ShortText


class CMeeting(StrictModel):
    """A committee meeting (支委会, 党委会): members in office, present and in favour."""

    date: Date
    members_total: Count
    members_present: Count
    members_for: Count | None = None


class DecisionMeeting(CMeeting):
    """A committee meeting that took a decision: ``members_for`` is required."""

    members_for: Count


class Vote(StrictModel):
    """The vote of a general meeting (党员大会). Arithmetic and quorum are guards 28–29, not schema."""

    eligible_voters: Count
    present_voters: Count
    votes_for: Count
    votes_against: Count
    abstentions: Count


class Ref(StrictModel):
    """The path and step a path statement performs (procedures §2.0, §4)."""

    path: PathId
    step: StepId


class HistoricalActor(StrictModel):
    """A person named on a paper record entered by 补录, who may hold no actor id in the ledger."""

    name: ShortText
    role: Role | None = None
    unit: Uuid | None = None
    standing: Standing | None = None


HISTORICAL_CONTEXT = "historical"


def _actor(value: Any, info: ValidationInfo) -> str | HistoricalActor:
    if isinstance(value, dict) and (info.context or {}).get(HISTORICAL_CONTEXT):
        return HistoricalActor.model_validate(value, context=info.context)
    if isinstance(value, str) and _UUID.fullmatch(value):
        return value
    if isinstance(value, dict):
        raise PydanticCustomError(
            "actor", "an actor is a uuid; a named person is allowed only in a 补录 record"
        )
    raise PydanticCustomError("actor", "expected an actor uuid, got '{value}'", {"value": value})


def _dump_actor(value: str | HistoricalActor) -> Any:
    return value.model_dump() if isinstance(value, HistoricalActor) else value


#: An actor id; inside ``HistoricalRecordEntered.record_body`` it may be a :class:`HistoricalActor` instead.
Actor = Annotated[
    str | HistoricalActor,
    PlainValidator(_actor),
    PlainSerializer(_dump_actor),
    WithJsonSchema({"type": "string", "format": "uuid"}),
]
