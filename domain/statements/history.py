"""补录纸质记录: a paper record of the past entered with its scans (procedures §2.8, §4.20, §5.4)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import ConfigDict, PrivateAttr, ValidationError

from domain.codes import Role
from domain.fields import (
    HISTORICAL_CONTEXT,
    Hash,
    JsonObject,
    MediaType,
    NonEmpty,
    OptionalText,
    ShortText,
    Uuid,
)
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, Problems
from domain.statements.catalogue import MEMBER_STREAM
from domain.statements.review import LookBackRectified, LookBackReviewed
from domain.statements.vocab import Material

#: Types a paper record may have: §2.2–§2.8 except look-back statements (and the wrapper itself).
RECORD_MODELS: Mapping[str, type[Body]] = MappingProxyType(
    {model.__name__: model for model in MEMBER_STREAM if model not in (LookBackReviewed, LookBackRectified)}
)
#: Types named by procedures §2.8 as never entered by 补录.
EXCLUDED_RECORD_TYPES = frozenset(
    {"Corrected", "Attested", "HistoricalRecordEntered", "LookBackReviewed", "LookBackRectified"}
)


class OriginalSigner(Checked):
    """Who signed the paper, as declared: name, role and unit."""

    name: ShortText
    role: Role
    unit: Uuid


class Source(Checked):
    """A scan of the paper. Completeness (sha256, media type, title) is guard 3, so each key may be absent."""

    sha256: Hash | None = None
    media_type: MediaType | None = None
    title: ShortText | None = None
    form: Material | None = None


class HistoricalRecordEntered(Body):
    """补录纸质记录: wraps a record of type ``record_type`` dated in the past.

    ``record_body`` is validated as a body of ``record_type``, except that an actor field may hold a named
    person ({name*, role, unit, standing}) instead of an actor id. The parsed record is :meth:`record`.
    """

    label = "补录纸质记录"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "record_type": "SearchAttemptRecorded",
                "record_body": {
                    "attempt_no": 1,
                    "method": "direct",
                    "target": "阎磊本人",
                    "narrative": "2016年4月20日，支部书记何立到阎磊户籍地走访，未找到本人。",
                    "result": "no_trace",
                    "searchers": [{"name": "何立", "role": "SEC", "standing": "full"}],
                },
                "original_signers": [{"name": "何立", "role": "SEC", "unit": ex.UNIT_B1}],
                "sources": [
                    {**ex.doc("与党组织失去联系党员联系查找情况记录表（阎磊）"), "form": "search-record"}
                ],
                "entry_note": "据2016年纸质记录表补录。",
            }
        )
    )

    record_type: ShortText
    record_body: JsonObject
    original_signers: NonEmpty[list[OriginalSigner]]
    sources: list[Source]
    entry_note: OptionalText | None = None
    _record: Body | None = PrivateAttr(default=None)

    def cross_field_rules(self, problems: Problems) -> None:
        if self.record_type in EXCLUDED_RECORD_TYPES:
            problems.add(
                "record_type", "not_allowed", f"{self.record_type} cannot be entered from paper (补录)"
            )
            return
        model = RECORD_MODELS.get(self.record_type)
        if model is None:
            problems.add(
                "record_type", "unknown_type", f"{self.record_type!r} is not a statement type of §2.2–§2.8"
            )
            return
        try:
            self._record = model.model_validate(self.record_body, context={HISTORICAL_CONTEXT: True})
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                problems.add(("record_body", *error["loc"]), error["type"], error["msg"], error.get("input"))

    def record(self) -> Body:
        """The wrapped record, parsed as its type."""
        if self._record is None:  # only when built without validation (model_construct)
            model = RECORD_MODELS[self.record_type]
            return model.model_validate(self.record_body, context={HISTORICAL_CONTEXT: True})
        return self._record
