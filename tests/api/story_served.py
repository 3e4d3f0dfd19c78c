"""The projection story (谢军, 黄海, 赵磊 on the §7.0 world) behind the real ASGI app, with sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ledger.sandbox import Actor
from ledger.settings import Settings
from tests.api.conftest import FakeClock, Served
from tests.domain.engine_world import ADMIN, A
from tests.projections.stories import Story, build_story


@dataclass
class StoryServed:
    """The story, its HTTP client (sign-in through ``served``), and actors by name."""

    story: Story
    served: Served

    def actor(self, name: str) -> Actor:
        """An actor of the §7.0 world by name (``admin`` for the root administrator)."""
        actor = ADMIN if name == "admin" else A[name]
        return Actor(actor, self.story.driver.keys[actor])

    def headers(self, name: str) -> dict[str, str]:
        """A fresh bearer token of the named actor."""
        return self.served.sign_in(self.actor(name))


@pytest.fixture
def story_served(settings: Settings) -> Iterator[StoryServed]:
    """The story ledger served on the settings' backend (no log thread); the service day is 2026-03-14."""
    story = build_story(settings)
    clock = FakeClock()
    try:
        with TestClient(create_app(settings, follow_log=False, clock=clock)) as client:
            yield StoryServed(story, Served(None, client, clock))  # type: ignore[arg-type]
    finally:
        story.driver.close()
