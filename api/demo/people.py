"""Synthetic people: Chinese names and 18-digit ID numbers with valid check digits that cannot belong to
anyone, because their address code starts with 99, a province code GB/T 2260 does not have.

Everything comes from one `random.Random`, so a seed gives the same people.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Literal

from domain.identity import check_character

FAKE_REGION_PREFIX = "99"
"""No province has the code 99: every demo ID number is recognisably fake."""

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文亮"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英梅琳雪婷颖倩洁慧晶蕾欣怡佳琪璐瑶萍红燕云"


@dataclass(frozen=True)
class Person:
    """A synthetic person."""

    name: str
    sex: Literal["male", "female"]
    birth_date: str
    id_number: str


class People:
    """A deterministic source of names, people and uuids."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def uuid(self) -> str:
        """A version-4 uuid drawn from the seeded generator."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def name(self, sex: str | None = None) -> str:
        """A name not given before (two or three characters)."""
        for _ in range(1000):
            chars = GIVEN_MALE if (sex or self.rng.choice("mf")) in ("male", "m") else GIVEN_FEMALE
            given = "".join(self.rng.choice(chars) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of synthetic names")

    def person(self, born_from: int = 1960, born_to: int = 2002) -> Person:
        """A person with a matching fake ID number (birth date and sex encoded in it)."""
        sex: Literal["male", "female"] = self.rng.choice(("male", "female"))
        birth = dt.date(born_from, 1, 1) + dt.timedelta(
            days=self.rng.randrange((dt.date(born_to, 12, 31) - dt.date(born_from, 1, 1)).days)
        )
        return Person(self.name(sex), sex, birth.isoformat(), fake_id_number(self.rng, birth, sex))


def fake_id_number(rng: random.Random, birth: dt.date, sex: str) -> str:
    """An 18-digit number with a valid check character and a non-existent address code 99xxxx."""
    region = FAKE_REGION_PREFIX + f"{rng.randrange(10000):04d}"
    sequence = rng.randrange(500) * 2 + (1 if sex == "male" else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
