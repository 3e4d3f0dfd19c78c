"""A province-scale ledger generator: the demo's city, replicated under a province department.

Each replica is the demo world of ``api/demo`` (a city department, a county, four grassroots committees,
eleven branches, their actors and keys) built from its own seed, with its city department registered
under one province department (省委组织部), its unit names numbered, and up to ``MEMBERS_PER_CITY``
members walking the demo's stories (about 30 % with a case, the others registered and paying dues).
Everything is signed by its own actor and goes through the ledger's checks (``Ledger.append_days``: the
checks of ``append_many`` for each recording day, as of that day, as ``ledger demo`` does by setting the
clock), in recording-day order.

Speed (measured in ``bench/results/scale.md``): a city is built and signed in a worker process while the
main process appends the previous one; consecutive days share a transaction (up to ``CHUNK`` statements),
and the ledger checks the signatures ahead on the other cores (``Ledger.preverify``). The checks of each
statement (domain guards above all) cost far more than building it, so ``appenders`` > 1 checks and appends
several cities' member statements in processes of their own. Deterministic: the same seed and targets give
the same statements (signatures included), in the same order with one appender.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import groupby
from multiprocessing import get_context
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.demo.case import Case, DemoActor, Pending
from api.demo.run import GENESIS_DAY, DemoBuilder, DemoRefused, at
from api.demo.world import LIVE_FROM
from ledger import keys
from ledger.errors import LedgerError
from ledger.keys import sign_statement_hash
from ledger.settings import Settings
from ledger.statement import GENESIS_PREV, new_statement, sign_statement, statement_hash
from ledger.system import ADMIN_ID_FILE, ADMIN_KEY_FILE, LedgerSystem, init_ledger, open_ledger

os.environ.setdefault("POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT", "300")
"""A bulk load on a saturated machine can stall mid-transaction for more than the ledger's default 5 s (a
process starved of CPU, a full collection of a large heap), and the server would end the transaction and
the run with it. Set before any ledger opens; spawned builders and appenders import this module too."""

MEMBERS_PER_CITY = 2000
STATEMENTS_PER_MEMBER = 6.5
"""A first estimate (registry statements included) to size the replicas; the measured one replaces it."""
CHUNK = 500
"""At most this many statements per transaction: whole days, unless one day alone is larger."""
PROVINCE_NAME = "演示省委组织部"

Tick = Callable[[int], None]


class CityBuilder(DemoBuilder):
    """The demo builder, with its root department placed under the province and its units numbered.

    Member statements are hashed as the stories write them and signed once the city is built: the demo
    walks each story once more on a probe to find its allowed date shifts, and the probe's statements
    need no signatures. The signatures are the same (Ed25519 is deterministic). ``hashes`` maps each
    signature to its statement's hash, for the ledger's checks ahead (``Ledger.preverify``).
    """

    def __init__(self, origin: str, admin: DemoActor, seed: int, province: str, number: int) -> None:
        super().__init__(origin, admin, seed)
        self.province, self.number = province, number
        self.hashes: dict[str, bytes] = {}
        self._unsigned: dict[int, tuple[dict[str, Any], bytes, Ed25519PrivateKey]] = {}

    def _admin_append(self, stream: str, kind: str, body: dict[str, Any]) -> None:
        if kind == "UnitRegistered":
            body = {**body, "name": f"{body['name']}（{self.number:03d}）"}
            if "parent" not in body:
                body["parent"] = self.province
        super()._admin_append(stream, kind, body)
        self.hashes[self.registry[-1].signature] = bytes.fromhex(self._heads[stream])

    def case(self, branch: str) -> Case:
        """A fresh member case whose statements are hashed now and signed by ``build_members``."""
        c = super().case(branch)
        c.sign = self._hash_only
        return c

    def _hash_only(self, statement: dict[str, Any], key: Ed25519PrivateKey) -> tuple[str, str]:
        digest = statement_hash(statement)
        self._unsigned[id(statement)] = (statement, digest, key)  # the statement is kept: ids stay unique
        return digest.hex(), ""

    def build_members(self, members: int) -> None:
        """The demo's members, then a signature for each statement kept (probes' statements are dropped)."""
        super().build_members(members)
        signed = []
        for p in self.cases:
            _, digest, key = self._unsigned[id(p.statement)]
            signature = sign_statement_hash(key, digest)
            self.hashes[signature] = digest
            signed.append(Pending(p.recorded, p.statement, signature))
        self.cases = signed
        self._unsigned.clear()


@dataclass(frozen=True)
class CityPlan:
    """One replica to build: its number, its seed and how many members it gets."""

    origin: str
    admin_id: str
    admin_key: bytes
    """The root administrator's raw private key (keys do not pickle; the builder runs in a worker)."""
    province: str
    number: int
    seed: int
    members: int

    def admin(self) -> DemoActor:
        """The root administrator as the demo builder wants it."""
        return DemoActor(
            self.admin_id, "根管理员", "", ("ADM",), Ed25519PrivateKey.from_private_bytes(self.admin_key)
        )

    def builder(self) -> CityBuilder:
        """A fresh builder for this city (nothing drawn from its seed yet beyond the unit ids)."""
        return CityBuilder(self.origin, self.admin(), self.seed, self.province, self.number)


@dataclass
class CityBuild:
    """What a worker built for one city: signed statements, and the ids the benchmarks sample."""

    registry: list[Pending]
    cases: list[Pending]
    members: int
    member_streams: list[str]
    branches: list[str]
    hashes: dict[str, bytes]
    """Each signature's statement hash, as computed when signing."""


def province_id(plan: CityPlan) -> str:
    """The province department's id: the first uuid the first city's builder draws after its units."""
    return plan.builder().people.uuid()


def build_city(plan: CityPlan, register_province: bool) -> CityBuild:
    """Build and sign one city (run in a worker process); the first city also registers the province."""
    builder = plan.builder()
    first: list[Pending] = []
    if register_province:
        admin = builder.admin
        root = builder.people.uuid()
        assert root == plan.province, "the province id is drawn first"
        body = {
            "name": PROVINCE_NAME,
            "kind": "org_department",
            "live_from": LIVE_FROM,
            "admin_level": "province",
        }
        statement = new_statement(ledger=plan.origin, stream=root, seq=1, prev=GENESIS_PREV,
                                  type="UnitRegistered", occurred_at=LIVE_FROM, actor=admin.id,
                                  private_key=admin.key, body=body)  # fmt: skip
        digest, signature = sign_statement(statement, admin.key)
        first.append(Pending(LIVE_FROM, statement, signature))
        builder.hashes[signature] = bytes.fromhex(digest)
    builder.build_world()
    builder.build_members(plan.members)
    return CityBuild(
        registry=first + builder.registry,
        cases=builder.cases,
        members=builder.report.members,
        member_streams=sorted({p.statement["stream"] for p in builder.cases}),
        branches=[builder.units[b] for b in ("U1", "E1", "S1", "V1")],
        hashes=builder.hashes,
    )


@dataclass
class GrowthStep:
    """One call of `Province.grow`: what it wrote and how long generation and appends took."""

    statements: int = 0
    members: int = 0
    cities: int = 0
    build_seconds: float = 0.0
    """Time the appender waited for cities being built (the rest of the building overlaps the appends)."""
    append_seconds: float = 0.0

    @property
    def generator_rate(self) -> float:
        """Statements per second of the whole step, building and signing included."""
        return self.statements / max(self.build_seconds + self.append_seconds, 1e-9)

    @property
    def append_rate(self) -> float:
        """Statements per second through ``append_many`` (bulk; one day of a round per transaction)."""
        return self.statements / max(self.append_seconds, 1e-9)


def transactions(items: list[Pending]) -> Iterator[list[tuple[str, list[Pending]]]]:
    """The items (in recording-day order) packed into transactions of whole days, up to ``CHUNK``
    statements each (a day larger than that alone is split)."""
    pack: list[tuple[str, list[Pending]]] = []
    size = 0
    for day, group in groupby(items, key=lambda p: p.recorded):
        batch = list(group)
        for start in range(0, len(batch), CHUNK):
            part = batch[start : start + CHUNK]
            if size + len(part) > CHUNK and pack:
                yield pack
                pack, size = [], 0
            pack.append((day, part))
            size += len(part)
    if pack:
        yield pack


def append_days(
    system: LedgerSystem, items: list[Pending], hashes: dict[str, bytes], tick: Tick | None = None
) -> int:
    """Append through ``Ledger.append_days``, each day's statements recorded as of that day; how many.

    Signatures whose keys the ledger knows already are checked ahead, in its worker processes (with the
    hashes computed when signing: the ledger compares them with its own when it appends).
    """
    ledger = system.ledger
    ordered = sorted(items, key=lambda p: p.recorded)
    ledger.preverify(
        [(p.statement, p.signature) for p in ordered], [hashes.get(p.signature) for p in ordered]
    )
    done = 0
    for pack in transactions(ordered):
        try:
            ledger.append_days([(at(day), [(p.statement, p.signature) for p in part]) for day, part in pack])
        except LedgerError as error:
            index = error.details.get("index", 0) if isinstance(error.details, dict) else 0
            bad = [p for _, part in pack for p in part][int(index)].statement
            raise DemoRefused(
                f"the ledger refused {bad['type']} on {bad['occurred_at']} ({bad['stream']}): {error}"
            ) from error
        count = sum(len(part) for _, part in pack)
        done += count
        if tick is not None:
            tick(count)
    return done


_appender: LedgerSystem | None = None
"""An appender process's own ledger, opened on its first city."""


def append_cases(settings: Settings, items: list[Pending], hashes: dict[str, bytes]) -> int:
    """In an appender process: one city's member statements through ``append_days``; how many.

    The registry is read again first if the main process extended it (with this city's units and actors)
    since this process last looked: the checks are judged on the registry as it is.
    """
    global _appender
    if _appender is None:
        _appender = open_ledger(settings)
    ledger = _appender.ledger
    if ledger.tables.registry_version() != ledger.registry_version:
        ledger.reload_registry()
    return append_days(_appender, items, hashes)


@dataclass
class Province:
    """An initialised ledger that grows city by city; keeps the member ids (for sampling reads)."""

    settings: Settings
    seed: int = 1
    appenders: int = 1
    """Processes appending member statements concurrently (1: this one, in the seed's order)."""
    system: LedgerSystem = field(init=False)
    admin: DemoActor = field(init=False)
    root: str = ""
    cities: int = 0
    statements: int = 1
    members: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)
    _builders: ProcessPoolExecutor | None = field(default=None, init=False, repr=False)
    _member_count: int = field(default=0, init=False, repr=False)
    _paused: bool = field(default=False, init=False, repr=False)
    _appending: ProcessPoolExecutor | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        init_ledger(self.settings, clock=lambda: at(GENESIS_DAY))
        self.system = open_ledger(self.settings)
        home = self.settings.home
        admin_id = (home / ADMIN_ID_FILE).read_text(encoding="ascii").strip()
        key = keys.load_private_key(home / ADMIN_KEY_FILE, None)
        self.admin = DemoActor(admin_id, "根管理员", "", ("ADM",), key)

    def close(self) -> None:
        """Stop the builder process and close the ledger (once: a paused province is closed already)."""
        if self._builders is not None:
            self._builders.shutdown(wait=True, cancel_futures=True)
            self._builders = None
        self.pause()

    def pause(self) -> None:
        """Close the ledger's connections between two growth steps (so that its database can be copied);
        the appender processes, which hold connections too, end."""
        if self._appending is not None:
            self._appending.shutdown(wait=True, cancel_futures=True)
            self._appending = None
        if not self._paused:
            self.system.close()
            self._paused = True

    def resume(self) -> None:
        """Open the ledger again after ``pause``."""
        if self._paused:
            self.system = open_ledger(self.settings)
            self._paused = False

    def _plan(self, number: int, members: int) -> CityPlan:
        return CityPlan(
            origin=self.system.ledger.origin,
            admin_id=self.admin.id,
            admin_key=self.admin.key.private_bytes_raw(),
            province=self.root,
            number=number,
            seed=self.seed * 100_003 + number,
            members=members,
        )

    def _sizes(self, target: int) -> list[int]:
        """Members of each city still needed to reach ``target`` (the last city sized to fit)."""
        per_member = (
            (self.statements - 1) / self._member_count if self._member_count else STATEMENTS_PER_MEMBER
        )
        sizes: list[int] = []
        expected = float(self.statements)
        while expected < target * 0.98:
            members = min(MEMBERS_PER_CITY, max(50, math.ceil((target - expected) / per_member)))
            sizes.append(members)
            expected += members * per_member
        return sizes

    def _submit(self, plan: CityPlan) -> Future[CityBuild]:
        if self._builders is None:
            self._builders = ProcessPoolExecutor(self.appenders, mp_context=get_context("spawn"))
        return self._builders.submit(build_city, plan, plan.number == 1)

    def _append_cases(self, cities: list[CityBuild], tick: Tick | None) -> int:
        """The cities' member statements: here with one appender, else one appender process per city."""
        if self.appenders == 1:
            return sum(append_days(self.system, city.cases, city.hashes, tick) for city in cities)
        if self._appending is None:
            self._appending = ProcessPoolExecutor(self.appenders, mp_context=get_context("spawn"))
        futures = [self._appending.submit(append_cases, self.settings, c.cases, c.hashes) for c in cities]
        done = 0
        for future in futures:
            count = future.result()
            done += count
            if tick is not None:
                tick(count)
        return done

    def grow(self, target: int, tick: Tick | None = None) -> GrowthStep:
        """Add cities until the ledger holds about ``target`` statements (the last city is sized to fit).

        Cities go in rounds of ``appenders``: the next round is built in worker processes while this one
        is appended. With one appender (the default) this process appends everything, in an order the seed
        fixes. With more, this process appends the round's registries, then each city's member statements
        are checked and appended by an appender process of its own, concurrently: the same statements
        through the same checks, only their interleaving in the ledger varies from run to run (member
        streams are disjoint between cities, and the registry does not change while they append).
        """
        step = GrowthStep()
        while sizes := self._sizes(target):
            if not self.root:
                self.root = province_id(self._plan(1, sizes[0]))
            plans = [self._plan(self.cities + 1 + i, members) for i, members in enumerate(sizes)]
            rounds = [plans[i : i + self.appenders] for i in range(0, len(plans), self.appenders)]
            ahead = [self._submit(plan) for plan in rounds[0]]
            for number in range(len(rounds)):
                started = time.perf_counter()
                cities = [future.result() for future in ahead]
                step.build_seconds += time.perf_counter() - started
                if number + 1 < len(rounds):
                    ahead = [self._submit(plan) for plan in rounds[number + 1]]
                started = time.perf_counter()
                done = sum(append_days(self.system, city.registry, city.hashes) for city in cities)
                done += self._append_cases(cities, tick)
                step.append_seconds += time.perf_counter() - started
                for city in cities:
                    step.members += city.members
                    step.cities += 1
                    self.cities += 1
                    self._member_count += city.members
                    self.members.extend(city.member_streams)
                    self.branches.extend(city.branches)
                step.statements += done
                self.statements += done
        started = time.perf_counter()
        self.system.bring_log_up_to_date()
        step.append_seconds += time.perf_counter() - started
        return step
