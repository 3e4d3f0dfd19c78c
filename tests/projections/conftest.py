"""A story ledger per test (SQLite and PostgreSQL through the ``settings`` fixture)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ledger.settings import Settings
from tests.projections.stories import Story, build_story


@pytest.fixture
def story(settings: Settings) -> Iterator[Story]:
    """The three members of tests/projections/stories.py on a fresh ledger."""
    built = build_story(settings)
    try:
        yield built
    finally:
        built.driver.close()
