"""Validating a statement body by its type name, with errors as JSON paths."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from domain.statements.base import Body

KERNEL_TYPES = frozenset({"KeyEnrolled", "KeyRevoked"})


class BodyValidationError(ValueError):
    """A body that does not validate (or an unknown type); ``errors`` lists each problem.

    Each error is ``{"path": "body.vote.present_voters", "message": "...", "code": "int_type"}``; list items
    are written ``body.searchers[1]``. An unknown type has the path ``type``.
    """

    def __init__(self, type_name: str, errors: list[dict[str, str]]) -> None:
        self.type_name = type_name
        self.errors = errors
        first = errors[0] if errors else {"path": "body", "message": "invalid"}
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{type_name}: {first['path']}: {first['message']}{more}")


def json_path(loc: Sequence[int | str], root: str = "body") -> str:
    """A pydantic location as a JSON path: ``body.vote.present_voters``, ``body.searchers[1]``."""
    path = root
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def errors_of(exc: ValidationError, root: str = "body") -> list[dict[str, str]]:
    """The errors of a pydantic ``ValidationError`` as path, message and code."""
    return [
        {"path": json_path(error["loc"], root), "message": error["msg"], "code": error["type"]}
        for error in exc.errors(include_url=False)
    ]


def validate_body(models: Mapping[str, type[Body]], type_name: str, body: Any) -> Body:
    """Validate ``body`` (decoded JSON) as a body of ``type_name``; raise :class:`BodyValidationError`."""
    model = models.get(type_name)
    if model is None:
        reason = (
            f"{type_name} bodies are validated by the ledger kernel"
            if type_name in KERNEL_TYPES
            else f"unknown statement type {type_name!r}"
        )
        raise BodyValidationError(type_name, [{"path": "type", "message": reason, "code": "unknown_type"}])
    if not isinstance(body, dict):
        raise BodyValidationError(
            type_name, [{"path": "body", "message": "a body is a JSON object", "code": "dict_type"}]
        )
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise BodyValidationError(type_name, errors_of(exc)) from None
