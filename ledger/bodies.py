"""Body validation for every statement type: the kernel's own types here, the rest from ``domain``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.statements import BodyValidationError
from domain.statements import validate_body as validate_domain_body
from ledger.enrolment import KERNEL_BODIES, validate_kernel_body
from ledger.errors import ValidationFailed


def validate_body(type_name: str, body: Mapping[str, Any]) -> None:
    """Refuse with ``validation`` a body that does not match its type's schema, or an unknown type."""
    if type_name in KERNEL_BODIES:
        validate_kernel_body(type_name, body)
        return
    try:
        validate_domain_body(type_name, body)
    except BodyValidationError as error:
        raise ValidationFailed(str(error), errors=getattr(error, "errors", [])) from None
