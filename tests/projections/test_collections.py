"""``fewer_collections``: the collector's thresholds are raised while batches are applied, then restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from projections.base import BULK_GC_THRESHOLD, fewer_collections


@pytest.fixture
def default_thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def test_raised_while_inside_and_restored_after(default_thresholds: tuple[int, int, int]) -> None:
    with fewer_collections():
        assert gc.get_threshold() == BULK_GC_THRESHOLD
        with fewer_collections():  # a second projection catching up on another thread
            assert gc.get_threshold() == BULK_GC_THRESHOLD
        assert gc.get_threshold() == BULK_GC_THRESHOLD, "the first user is still inside"
    assert gc.get_threshold() == default_thresholds


def test_restored_when_a_batch_fails(default_thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a batch failed")
    assert gc.get_threshold() == default_thresholds
