"""Identity numbers (GB 11643-1999): check characters computed here independently of domain.identity."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.identity import IdNumberError, check_character, is_valid_id_number, parse_id_number


def independent_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 from its definition: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make(first17: str) -> str:
    return first17 + independent_check(first17)


VALID = [
    make("34082119850312001"),  # 1985-03-12, sequence 001: male
    make("34082119880923002"),  # female
    make("11010519491231002"),  # check character X
    make("44030620000229123"),  # leap day
    make("65010219210701004"),
]


def test_the_independent_check_gives_the_published_example() -> None:
    # The worked example of GB 11643-1999 annex: 11010519491231002X.
    assert make("11010519491231002") == "11010519491231002X"


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_are_accepted_and_agree_with_the_module(number: str) -> None:
    assert check_character(number[:17]) == number[17]
    assert is_valid_id_number(number)
    assert parse_id_number(number).number == number


def test_birth_date_sex_and_region_are_read_from_the_number() -> None:
    info = parse_id_number(make("34082119850312001"))
    assert info.birth_date == dt.date(1985, 3, 12)
    assert info.sex == "male"
    assert info.region == "340821"
    assert parse_id_number(make("34082119880923002")).sex == "female"


@pytest.mark.parametrize("number", VALID)
def test_every_other_check_character_is_refused(number: str) -> None:
    for wrong in "0123456789X":
        if wrong != number[17]:
            with pytest.raises(IdNumberError, match="wrong check character"):
                parse_id_number(number[:17] + wrong)


@pytest.mark.parametrize("birth", ["19850230", "19851301", "19850000", "00000101", "20230229"])
def test_a_birth_date_that_does_not_exist_is_refused(birth: str) -> None:
    with pytest.raises(IdNumberError, match="birth date"):
        parse_id_number(make("340821" + birth + "001"))


def test_lower_case_x_is_refused_not_folded() -> None:
    number = make("11010519491231002")
    with pytest.raises(IdNumberError, match="upper-case 'X'"):
        parse_id_number(number[:17] + "x")
    assert not is_valid_id_number(number.lower())


@pytest.mark.parametrize("length", [0, 15, 17, 19])
def test_length_other_than_18_is_refused(length: int) -> None:
    number = (make("34082119850312001") * 2)[:length]
    with pytest.raises(IdNumberError, match="18 characters"):
        parse_id_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "34082119850312001 ",
        "3408211985031200A3",
        "３４０８２１１９８５０３１２００１３",
        "X40821198503120013",
    ],
)
def test_non_digits_are_refused(number: str) -> None:
    with pytest.raises(IdNumberError):
        parse_id_number(number)


def test_check_character_needs_seventeen_digits() -> None:
    with pytest.raises(IdNumberError):
        check_character("1234")
    with pytest.raises(IdNumberError):
        check_character("1234567890123456X")
