"""A writer process for the crash tests: appends dues payments and runs the log runner until killed.

Usage: python -m tests.reliability.writer DATABASE_URL HOME ORIGIN CLERK_ID CLERK_KEY_PEM MEMBER_ID
"""

from __future__ import annotations

import sys
from pathlib import Path

from ledger import keys
from ledger.sandbox import Actor, World
from ledger.settings import Settings
from ledger.system import open_ledger


def main() -> None:
    url, home, origin, clerk_id, key_path, member = sys.argv[1:7]
    settings = Settings(database_url=url, home=Path(home), origin=origin)
    system = open_ledger(settings)
    world = World(settings, system, Actor("", keys.generate()))
    clerk = Actor(clerk_id, keys.load_private_key(key_path, None))
    n = 0
    while True:
        world.participation(member, clerk, period=f"20{10 + n // 12 % 16}-{n % 12 + 1:02d}")
        n += 1
        if n % 3 == 0:
            system.bring_log_up_to_date()
        print(n, flush=True)


if __name__ == "__main__":
    main()
