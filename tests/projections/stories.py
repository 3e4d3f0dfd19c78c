"""Member files for the projection tests, built with the §7 story helpers on a real ledger.

谢军 goes through the whole P6 path (scenario 30) with a search attempt before contact and a correction
of it (scenario 52); 黄海 is in P4 with the pre-review entered late (scenario 53); 赵磊 is still searched for.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ledger.settings import Settings
from tests.conftest import PG_URL, require_postgres
from tests.domain import engine_world
from tests.domain.engine_steps import attempt, attempt_body, confirm, register, review
from tests.domain.engine_world import Member
from tests.domain.ledger_driver import LedgerDriver
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
