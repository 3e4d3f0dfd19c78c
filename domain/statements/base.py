"""Base classes of statement bodies and the collector of cross-field problems."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from domain.fields import Hash, Ref, StrictModel


class Problems:
    """Collects the cross-field problems of one object, each at its field path, and raises them together."""

    def __init__(self, title: str) -> None:
        self.title = title
        self._errors: list[InitErrorDetails] = []

    def add(self, loc: tuple[str | int, ...] | str, kind: str, message: str, value: Any = None) -> None:
        """Record a problem of type ``kind`` at ``loc`` (a field name or a path tuple)."""
        path = (loc,) if isinstance(loc, str) else loc
        error = PydanticCustomError(kind, "{message}", {"message": message})
        self._errors.append(InitErrorDetails(type=error, loc=path, input=value))

    def missing(self, loc: tuple[str | int, ...] | str, condition: str) -> None:
        """A field required under ``condition`` is absent."""
        self.add(loc, "missing_required", f"required {condition}")

    def unexpected(self, loc: tuple[str | int, ...] | str, condition: str, value: Any = None) -> None:
        """A field not allowed under ``condition`` is present."""
        self.add(loc, "not_allowed", f"not allowed {condition}", value)

    def require_iff(self, field: str, value: Any, condition: bool, described: str) -> None:
        """``field`` (holding ``value``) must be present exactly when ``condition`` holds."""
        if condition and value is None:
            self.missing(field, described)
        elif not condition and value is not None:
            self.unexpected(field, "unless " + described.removeprefix("when "), value)

    def raise_any(self) -> None:
        """Raise a ``ValidationError`` holding every recorded problem, if there is one."""
        if self._errors:
            raise ValidationError.from_exception_data(self.title, self._errors)


class Checked(StrictModel):
    """A strict model with body-only rules beyond its field types (required-iff, xor, order)."""

    @model_validator(mode="after")
    def _apply_rules(self) -> Self:
        problems = Problems(type(self).__name__)
        self.cross_field_rules(problems)
        problems.raise_any()
        return self

    def cross_field_rules(self, problems: Problems) -> None:
        """Record in ``problems`` every rule this object breaks; none by default."""


class Body(Checked):
    """The body of one statement type (procedures §2); ``label`` is its Chinese name in the catalogue."""

    label: ClassVar[str]


class PathBody(Body):
    """A path statement: it performs ``ref.step`` of ``ref.path``; ``remedies`` names a look-back."""

    ref: Ref
    remedies: Hash | None = None
