"""How big the reliability runs are: reduced under ``make test``, full under ``make soak`` (``LEDGER_SOAK=1``)."""

from __future__ import annotations

import os

SOAK = os.environ.get("LEDGER_SOAK", "") not in ("", "0")
"""True under ``make soak``: more writers, more rounds, more outages."""


def sized(reduced: int, full: int) -> int:
    """``full`` under a soak run, else ``reduced``."""
    return full if SOAK else reduced
