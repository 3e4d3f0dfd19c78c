"""Statement bodies: one pydantic model per statement type of procedures §2.1–§2.8.

The kernel's ``KeyEnrolled`` and ``KeyRevoked`` are not here. Rules that need state, roles, settings or
other statements are guards (``domain`` guards, procedures §5); a model checks only its own body.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from domain.codes import CodeList, all_code_lists
from domain.statements.base import Body, PathBody
from domain.statements.catalogue import KERNEL_ORG, MEMBER_STREAM
from domain.statements.history import EXCLUDED_RECORD_TYPES, RECORD_MODELS, HistoricalRecordEntered
from domain.statements.registration import MEMBER_FIELDS
from domain.statements.review import MaterialAttached
from domain.statements.validation import BodyValidationError, json_path
from domain.statements.validation import validate_body as _validate

_ALL: tuple[type[Body], ...] = (
    *KERNEL_ORG,
    *(model for model in MEMBER_STREAM if model is not MaterialAttached),
    HistoricalRecordEntered,
    MaterialAttached,
)
#: Statement type name → body model, in catalogue order.
BODY_MODELS: Mapping[str, type[Body]] = MappingProxyType({model.__name__: model for model in _ALL})
#: Statement type name → its Chinese name in the catalogue.
STATEMENT_LABELS: Mapping[str, str] = MappingProxyType(
    {name: model.label for name, model in BODY_MODELS.items()}
)
#: Types whose body carries ``ref`` (``Reviewed`` too, except for a search record).
PATH_STATEMENTS = frozenset(name for name, model in BODY_MODELS.items() if issubclass(model, PathBody)) | {
    "Reviewed"
}
#: Every code list (forms, organisation, procedure vocabularies), by key, for UIs and forms.
CODE_LISTS: Mapping[str, CodeList[Any]] = all_code_lists()


def validate_body(type_name: str, body: object) -> Body:
    """Validate a decoded JSON ``body`` as the body of ``type_name``.

    Returns the parsed model; raises :class:`BodyValidationError` (a ``ValueError``) whose ``errors`` give
    a JSON path and a message for every problem, or the path ``type`` for an unknown type.
    """
    return _validate(BODY_MODELS, type_name, body)


__all__ = [
    "BODY_MODELS",
    "CODE_LISTS",
    "EXCLUDED_RECORD_TYPES",
    "MEMBER_FIELDS",
    "PATH_STATEMENTS",
    "RECORD_MODELS",
    "STATEMENT_LABELS",
    "Body",
    "BodyValidationError",
    "HistoricalRecordEntered",
    "PathBody",
    "json_path",
    "validate_body",
]
