"""Member files for the projection tests, built with the §7 story helpers on a real ledger.

谢军 goes through the whole P6 path (scenario 30) with a search attempt before contact and a correction
of it (scenario 52); 黄海 is in P4 with the pre-review entered late (scenario 53); 赵磊 is still searched for.

Also what several projection modules build alike: one story ledger per backend for a module (the ``ledger``
and ``routed`` fixtures, imported by those modules), 陈晨 approved under P1, 林娜 retained under P2, and the
回头看 of 魏华's P3 that asks for the missing filing and is rectified.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from ledger.settings import Settings
from tests.conftest import PG_URL, require_postgres
from tests.domain import engine_world
from tests.domain import test_engine_p2_p3 as p2p3
from tests.domain import test_engine_paths as paths
from tests.domain.engine_steps import (
    approved,
    attach,
    attempt,
    attempt_body,
    confirm,
    contact,
    filed,
    meeting,
    opinion,
    register,
    review,
)
from tests.domain.engine_world import Member
from tests.domain.ledger_driver import LedgerDriver
from tests.domain.test_engine_lookback import YES, no
from tests.domain.test_engine_p5_p8 import removed_lapsed_xie_jun
from tests.domain.test_engine_paths import huang_hai_at_p41


@dataclass
class Story:
    """The driver and the members the tests read."""

    driver: LedgerDriver
    xie: Member
    huang: Member
    zhao: Member
    attempt_hash: str
    correction_hash: str


@contextmanager
def on_ledger(driver: LedgerDriver) -> Iterator[None]:
    """Route the story helpers' Member objects to this driver."""
    engine_world.DRIVER = driver
    try:
        yield
    finally:
        engine_world.DRIVER = None


def xie_with_search(driver: LedgerDriver) -> tuple[Member, str, str]:
    """谢军 with an attempt between confirmation and contact, corrected later, then the whole P6 path."""
    import tests.domain.test_engine_p5_p8 as p5p8

    original = p5p8.contact
    hashes: dict[str, str] = {}

    def contact_after_search(m: Member, on: str, **kw: object) -> str:
        hashes["attempt"] = attempt(m, 1, "direct", "2023-12-20")
        corrected = {**attempt_body(1, "direct", ["吴芳", "郑强"]), "phone": "13800000000"}
        body = {"corrects": hashes["attempt"], "reason": "电话号码有误", "replacement": corrected}
        hashes["correction"] = m.add("Corrected", body, "吴芳", "2023-12-28")
        return original(m, on, **kw)  # type: ignore[arg-type]

    p5p8.contact = contact_after_search  # type: ignore[assignment]
    try:
        m, _ = removed_lapsed_xie_jun()
    finally:
        p5p8.contact = original
    return m, hashes["attempt"], hashes["correction"]


def build_story(settings: Settings, between: Callable[[LedgerDriver], None] | None = None) -> Story:
    """Build the three members; ``between`` runs after each one (to process incrementally)."""
    driver = LedgerDriver(settings)

    def step() -> None:
        if between is not None:
            between(driver)

    with on_ledger(driver):
        xie, attempt_hash, correction_hash = xie_with_search(driver)
        step()
        huang = huang_hai_at_p41()
        huang.add(
            "PreReviewed", review("P4", "P4.2", "2025-02-05"), "孙波", "2025-02-05", recorded="2025-03-03"
        )
        step()
        zhao = Member("赵磊")
        register(zhao)
        confirm(zhao, "2024-09-02", last="2024-01-10")
        attempt(zhao, 1, "direct", "2024-09-20")
        step()
    driver.system.bring_log_up_to_date()
    return Story(driver, xie, huang, zhao, attempt_hash, correction_hash)


@contextmanager
def story_ledger(backend: str, root: Path) -> Iterator[LedgerDriver]:
    """The §7.0 world on a fresh ledger of ``backend`` (sqlite or postgres), for a module of story tests.

    A PostgreSQL ledger gets its own schema, dropped afterwards; every story adds its members on new streams.
    """
    schema = ""
    if backend == "postgres":
        require_postgres()
        schema = f"stories_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{PG_URL}?schema={schema}"
    else:
        url = f"sqlite:///{root / 'stories.sqlite'}"
    settings = Settings(database_url=url, home=root / "home", origin=engine_world.ORIGIN, cipher_key=None)
    driver = LedgerDriver(settings)
    try:
        yield driver
    finally:
        driver.close()
        if schema:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LedgerDriver]:
    """One ledger per backend, shared by the module's stories (each member is a new stream)."""
    with story_ledger(str(request.param), tmp_path_factory.mktemp(str(request.param))) as driver:
        yield driver


@pytest.fixture(autouse=True)
def routed(ledger: LedgerDriver) -> Iterator[None]:
    """Route the story helpers' members to the module's ledger."""
    with on_ledger(ledger):
        yield


def normal_management(recorded: str | None = None) -> Member:
    """陈晨 (scenario 10) under P1: the committee's opinion, the materials, the county's approval on 2024-05-20
    (entered on ``recorded`` when given)."""
    m = paths.chen_chen()
    m.add(
        "CommitteeOpinionGiven",
        opinion("P1", "P1.1", "normal_management", "2024-05-10"),
        "周明",
        "2024-05-10",
    )
    attach(m, *paths.P1_MATERIALS, on="2024-05-12")
    body = approved("P1", "P1.3", "normal_management", "2024-05-20")
    m.add("Approved", body, "孙波", "2024-05-20", recorded=recorded)
    return m


def retained() -> Member:
    """林娜 (scenario 14) under P2: the committee's opinion and the approval to retain the relation on 2024-04-18."""
    m = p2p3.lin_na()
    m.add("CommitteeOpinionGiven", p2p3.p21(), "周明", "2024-04-10")
    m.add("Approved", approved("P2", "P2.2", "retain_relation", "2024-04-18"), "孙波", "2024-04-18")
    return m


def probation_cancelled(name: str = "刘洋") -> tuple[Member, str]:
    """A probationary member (scenario 33) contacted again, whose probation is cancelled under P8: the
    member and the hash of the county's approval (2024-12-10)."""
    m = Member(name)
    register(m, member_type="probationary", joined="2023-05-10")
    confirm(m, "2024-03-01", last="2023-08-20")
    contact(m, "2024-11-02")
    attach(m, "writeup", "disposal-form", on="2024-11-10")
    p81 = {**opinion("P8", "P8.1", "cancel_probation", "2024-11-15"), "grounds": ["absent_from_org_life"]}
    m.add("CommitteeOpinionGiven", p81, "周明", "2024-11-15")
    m.add("GeneralMeetingResolved", meeting("P8", "P8.2", "cancel_probation"), "周明", "2024-11-28")
    body = approved("P8", "P8.3", "cancel_probation", "2024-12-10")
    return m, m.add("Approved", body, "孙波", "2024-12-10")


def rectify_review(m: Member, p33: str) -> str:
    """The 回头看 of 魏华's P3 approval ``p33``: the P3.4 filing is missing, to be rectified by 2025-06-30."""
    body = {"target": p33, "conclusion": "rectify", "due": "2025-06-30",
            "deviations": [{"code": "step-missing", "step": "P3.4", "note": "缺少登记备案"}],
            "answers": {"facts_clear": YES, "reasons_sufficient": YES, "disposition_appropriate": YES,
                        "formalities_complete": no("未报县级组织部门备案")}}  # fmt: skip
    return m.add("LookBackReviewed", body, "冯涛", "2025-04-02")


def remedy_filing(m: Member, lookback: str) -> str:
    """The missing P3.4 filing, naming the look-back it remedies (2025-04-20)."""
    filing = {**filed("P3", "P3.4", "suspension", files_transferred=True), "remedies": lookback}
    return m.add("Filed", filing, "何敏", "2025-04-20")


def rectified(m: Member, lookback: str, remedy: str) -> None:
    """The look-back closed: the filing resolves its one deviation (2025-04-25)."""
    done = {"lookback": lookback, "remedies": [remedy], "resolved": ["step-missing"]}
    m.add("LookBackRectified", done, "冯涛", "2025-04-25")
