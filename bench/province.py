"""A province-scale ledger generator: the demo's city, replicated under a province department.

Each replica is the demo world of ``api/demo`` (a city department, a county, four grassroots committees,
eleven branches, their actors and keys) built from its own seed, with its city department registered
under one province department (省委组织部), its unit names numbered, and up to ``MEMBERS_PER_CITY``
members walking the demo's stories (about 30 % with a case, the others registered and paying dues).
Everything is signed by its own actor and goes through ``Ledger.append_many`` in batches, one recording day
at a time with the ledger's clock set to that day, exactly as ``ledger demo`` does: the same checks as
any append. Deterministic: the same seed and target give the same statements (signatures included).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from api.demo.case import DemoActor, Pending
from api.demo.run import GENESIS_DAY, DemoBuilder, _append_all, at
from api.demo.world import LIVE_FROM
from ledger import keys
from ledger.settings import Settings
from ledger.statement import GENESIS_PREV, new_statement, sign_statement
from ledger.system import ADMIN_ID_FILE, ADMIN_KEY_FILE, LedgerSystem, init_ledger, open_ledger

MEMBERS_PER_CITY = 2000
STATEMENTS_PER_MEMBER = 6.5
"""The demo's average (registry statements included), used to size each replica."""

Tick = Callable[[int], None]


class CityBuilder(DemoBuilder):
    """The demo builder, with its root department placed under the province and its units numbered."""

    def __init__(self, origin: str, admin: DemoActor, seed: int, province: str, number: int) -> None:
        super().__init__(origin, admin, seed)
        self.province, self.number = province, number

    def _admin_append(self, stream: str, kind: str, body: dict[str, Any]) -> None:
        if kind == "UnitRegistered":
            body = {**body, "name": f"{body['name']}（{self.number:03d}）"}
            if "parent" not in body:
                body["parent"] = self.province
        super()._admin_append(stream, kind, body)


class _Ticker:
    """Turns the demo's (done, total) progress into increments."""

    def __init__(self, tick: Tick | None, start: int) -> None:
        self.tick, self.last = tick, start

    def __call__(self, done: int, _total: int) -> None:
        if self.tick is not None:
            self.tick(done - self.last)
        self.last = done


@dataclass
class GrowthStep:
    """One call of `Province.grow`: what it wrote and how long generation and appends took."""

    statements: int = 0
    members: int = 0
    cities: int = 0
    build_seconds: float = 0.0
    append_seconds: float = 0.0

    @property
    def generator_rate(self) -> float:
        """Statements per second, building and signing included."""
        return self.statements / max(self.build_seconds + self.append_seconds, 1e-9)

    @property
    def append_rate(self) -> float:
        """Statements per second through ``append_many`` (batches of up to 250, one day each)."""
        return self.statements / max(self.append_seconds, 1e-9)


@dataclass
class Province:
    """An initialised ledger that grows city by city; keeps the member ids (for sampling reads)."""

    settings: Settings
    seed: int = 1
    system: LedgerSystem = field(init=False)
    admin: DemoActor = field(init=False)
    root: str = ""
    cities: int = 0
    statements: int = 1
    members: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        init_ledger(self.settings, clock=lambda: at(GENESIS_DAY))
        self.system = open_ledger(self.settings)
        home = self.settings.home
        admin_id = (home / ADMIN_ID_FILE).read_text(encoding="ascii").strip()
        key = keys.load_private_key(home / ADMIN_KEY_FILE, None)
        self.admin = DemoActor(admin_id, "根管理员", "", ("ADM",), key)

    def close(self) -> None:
        """Close the ledger."""
        self.system.close()

    def _register_root(self, builder: DemoBuilder) -> Pending:
        self.root = builder.people.uuid()
        body = {"name": "演示省委组织部", "kind": "org_department", "live_from": LIVE_FROM,
                "admin_level": "province"}  # fmt: skip
        statement = new_statement(ledger=self.system.ledger.origin, stream=self.root, seq=1, prev=GENESIS_PREV,
                                  type="UnitRegistered", occurred_at=LIVE_FROM, actor=self.admin.id,
                                  private_key=self.admin.key, body=body)  # fmt: skip
        return Pending(LIVE_FROM, statement, sign_statement(statement, self.admin.key)[1])

    def grow(self, target: int, tick: Tick | None = None) -> GrowthStep:
        """Add cities until the ledger holds about ``target`` statements (the last city is sized to fit)."""
        step = GrowthStep()
        while self.statements < target * 0.98:
            started = time.perf_counter()
            members = min(
                MEMBERS_PER_CITY, max(50, math.ceil((target - self.statements) / STATEMENTS_PER_MEMBER))
            )
            self.cities += 1
            builder = CityBuilder(
                self.system.ledger.origin,
                self.admin,
                self.seed * 100_003 + self.cities,
                self.root,
                self.cities,
            )
            first = [] if self.root else [self._register_root(builder)]
            builder.province = self.root
            builder.build_world()
            builder.build_members(members)
            registry = first + builder.registry
            step.build_seconds += time.perf_counter() - started
            started = time.perf_counter()
            done = _append_all(self.system, registry, 0, 0, None)
            done = _append_all(self.system, builder.cases, done, 0, _Ticker(tick, done))
            step.append_seconds += time.perf_counter() - started
            step.statements += done
            step.members += builder.report.members
            step.cities += 1
            self.statements += done
            self.members.extend(sorted({p.statement["stream"] for p in builder.cases}))
            self.branches.extend(builder.units[b] for b in ("U1", "E1", "S1", "V1"))
        started = time.perf_counter()
        self.system.bring_log_up_to_date()
        step.append_seconds += time.perf_counter() - started
        return step
