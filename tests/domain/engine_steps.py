"""The step builders of the §7 scenario tests: the demo's (api/demo/bodies.py and steps.py, all re-exported
here), so the tests prove valid the very bodies the demo writes; the few wrappers below only add the §7
world's defaults (its people's names, 赵磊's dates)."""

from __future__ import annotations

from typing import Any

from api.demo import bodies, steps
from api.demo.bodies import *  # noqa: F403
from api.demo.steps import *  # noqa: F403
from tests.domain.engine_world import A, Member

C1_MEETING = bodies.C_MEETING
"""C1's committee meeting figures (the demo's committee meeting)."""


def register(m: Member, on: str = "2021-02-01", member_type: str = "full", home: str = "B1", by: str = "BST",
             joined: str = "2010-05-20") -> str:  # fmt: skip
    """登记 on the §7 default day, into B1 unless `home` says otherwise."""
    return steps.register(m, on, member_type, joined, by, home)


def attempt_body(no: int, method: str, searchers: list[str], result: str = "no_trace") -> dict[str, Any]:
    """The demo's attempt body with the searchers named as people of the §7 world."""
    return bodies.attempt_body(no, method, [A[s] for s in searchers], result)


def three_attempts(m: Member) -> None:
    """赵磊's three attempts (2024-09-20 direct, 10-15 through acquaintances, 11-10 through departments)."""
    steps.attempts(m, "2024-09-20", "2024-10-15", "2024-11-10")


def uncontactable(
    m: Member, on: str = "2024-11-25", by: str = "SEC", meeting: dict[str, int] | None = None
) -> str:
    """确认无法取得联系, on 赵磊's day unless told."""
    return steps.uncontactable(m, on, by, meeting)


def search_review(m: Member, on: str = "2024-12-02", result: str = "agree") -> str:
    """基层党委对查找记录的意见, on 赵磊's day unless told."""
    return steps.search_review(m, on, result)
