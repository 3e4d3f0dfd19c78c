"""The 18-digit citizen identity number (公民身份号码 / 居民身份证号码), GB 11643-1999.

Layout: 6-digit address code (地址码), 8-digit birth date ``YYYYMMDD`` (出生日期码), 3-digit sequence code
(顺序码; odd for men, even for women) and one check character (校验码) computed with ISO 7064 MOD 11-2
over the first 17 digits, where the value 10 is written ``X``.

Only the canonical written form is accepted: exactly 18 ASCII characters, an upper-case ``X`` as the only
letter. A lower-case ``x`` is refused rather than folded: the number is stored in signed statements, and one
person must have one spelling there (the client upper-cases before signing). The address code is not
checked against GB/T 2260, whose list changes over time and which old numbers legitimately predate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

#: Weights 2^(17-i) mod 11 of ISO 7064 MOD 11-2 for positions 1..17.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: The check character for each remainder of the weighted sum mod 11.
CHECK_CHARACTERS = "10X98765432"
_DIGITS = frozenset("0123456789")


class IdNumberError(ValueError):
    """An identity number that is not a valid GB 11643-1999 number; the message says why."""


@dataclass(frozen=True)
class ParsedIdNumber:
    """A valid identity number with what it encodes."""

    number: str
    region: str
    birth_date: dt.date
    sex: Literal["male", "female"]


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character (``0``–``9`` or ``X``) for the first 17 digits."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise IdNumberError("the check character is computed over exactly 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def parse_id_number(value: str) -> ParsedIdNumber:
    """Validate ``value`` as an 18-digit identity number and return what it encodes.

    Raises :class:`IdNumberError` naming the first problem: length, characters, birth date, check character.
    """
    if len(value) != 18:
        raise IdNumberError(f"an identity number has 18 characters, not {len(value)} (身份证号码应为18位)")
    body, last = value[:17], value[17]
    if not set(body) <= _DIGITS:
        raise IdNumberError("the first 17 characters of an identity number must be digits 0-9")
    if last == "x":
        raise IdNumberError("write the check character as an upper-case 'X', not 'x'")
    if last not in _DIGITS and last != "X":
        raise IdNumberError("the last character of an identity number must be a digit or 'X'")
    try:
        birth = dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise IdNumberError(f"characters 7-14 ({body[6:14]}) are not a real birth date YYYYMMDD") from None
    expected = check_character(body)
    if last != expected:
        raise IdNumberError(f"wrong check character: '{last}', expected '{expected}' (校验码错误)")
    sex: Literal["male", "female"] = "male" if int(body[16]) % 2 == 1 else "female"
    return ParsedIdNumber(number=value, region=body[:6], birth_date=birth, sex=sex)


def is_valid_id_number(value: str) -> bool:
    """Whether ``value`` is a valid identity number (see :func:`parse_id_number`)."""
    try:
        parse_id_number(value)
    except IdNumberError:
        return False
    return True
