"""`run_demo`: fill an empty, initialised ledger with the demo world, deterministically from a seed.

Order of work: the organisation tree and the actors (signed by the root administrator), then every member's
case, each statement signed by its actor; all of them are appended through `Ledger.append_many`, one
transaction per recording day (in chunks), with the ledger's clock set to that day. The log is brought up
to date at the end, and the actors' keys are written to the demo keystore.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import groupby
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.demo.case import Case, DemoActor, Pending
from api.demo.keystore import write_keystore
from api.demo.paths import STORIES, Story, allowed_shifts
from api.demo.people import People
from api.demo.world import DIRECT_BRANCHES, GB_BRANCHES, LIVE_FROM, actor_specs, committee_of
from api.demo.world import unit_specs as all_units
from ledger import keys
from ledger.errors import LedgerError
from ledger.settings import Settings
from ledger.statement import GENESIS_PREV, new_statement, sign_statement
from ledger.system import ADMIN_ID_FILE, ADMIN_KEY_FILE, LedgerSystem, init_ledger, open_ledger

GENESIS_DAY = "2020-12-31"
CHUNK = 250
CASE_SHARE = 0.3
"""About this share of the members have a case; the others are simply registered and pay dues."""


class DemoRefused(Exception):
    """The ledger is not empty (or not usable for the demo); the message says why."""


@dataclass
class DemoReport:
    """What the demo wrote."""

    members: int = 0
    statements: int = 0
    stories: dict[str, int] = field(default_factory=dict)
    keystore: str = ""


Progress = Callable[[int, int], None]
"""Called with (done, total) statements as the work goes on."""


def at(day: str) -> datetime:
    """08:00 UTC of a day, the demo's recording time."""
    return datetime.fromisoformat(f"{day}T08:00:00+00:00")


def open_empty(settings: Settings) -> LedgerSystem:
    """Initialise the ledger if needed and open it; refuse one holding more than the genesis."""
    init_ledger(settings, clock=lambda: at(GENESIS_DAY))
    system = open_ledger(settings)
    if (system.ledger.max_notification_id() or 0) > 1:
        system.close()
        raise DemoRefused(
            "the ledger already holds statements beyond the genesis; the demo needs an empty ledger"
        )
    return system


def ensure_empty(settings: Settings) -> None:
    """Initialise the ledger if needed; `DemoRefused` unless it holds nothing but the genesis."""
    open_empty(settings).close()


class DemoBuilder:
    """Builds every signed statement of the demo from a seed (nothing touches the ledger here)."""

    def __init__(self, origin: str, admin: DemoActor, seed: int) -> None:
        self.origin, self.admin = origin, admin
        self.rng = random.Random(seed)
        self.people = People(self.rng)
        self.units = {u.key: self.people.uuid() for u in all_units()}
        self.actors: dict[str, DemoActor] = {}
        self.registry: list[Pending] = []
        self.cases: list[Pending] = []
        self.report = DemoReport()

    def _admin_append(self, stream: str, kind: str, body: dict[str, Any]) -> None:
        statement = new_statement(ledger=self.origin, stream=stream, seq=1 if kind != "KeyEnrolled" else 2,
                                  prev=self._heads.get(stream, GENESIS_PREV), type=kind, occurred_at=LIVE_FROM,
                                  actor=self.admin.id, private_key=self.admin.key, body=body)  # fmt: skip
        digest, signature = sign_statement(statement, self.admin.key)
        self._heads[stream] = digest
        self.registry.append(Pending(LIVE_FROM, statement, signature))

    def build_world(self) -> None:
        """Units and actors with deterministic keys."""
        self._heads: dict[str, str] = {}
        for u in all_units():
            body: dict[str, Any] = {"name": u.name, "kind": u.kind, "live_from": LIVE_FROM}
            if u.parent:
                body["parent"] = self.units[u.parent]
            if u.admin_level:
                body["admin_level"] = u.admin_level
            if u.org_category:
                body["org_category"] = u.org_category
            if u.kind == "branch":
                body["has_committee"] = True
            self._admin_append(self.units[u.key], "UnitRegistered", body)
        specs = actor_specs([self.people.name() for _ in range(200)])
        for spec in specs:
            key = Ed25519PrivateKey.from_private_bytes(self.rng.randbytes(32))
            actor = DemoActor(self.people.uuid(), spec.name, spec.unit, spec.roles, key)
            self.actors[spec.key] = actor
            body = {"name": spec.name, "unit": self.units[spec.unit], "roles": list(spec.roles),
                    "standing": spec.standing}  # fmt: skip
            self._admin_append(actor.id, "ActorRegistered", body)
            public = key.public_key()
            enrol = {
                "actor": actor.id,
                "key_id": keys.key_id(public),
                "public_key": keys.public_key_b64(public),
            }
            self._admin_append(actor.id, "KeyEnrolled", enrol)

    def case(self, branch: str) -> Case:
        """A fresh member case in a branch."""
        committee = committee_of(branch)
        gb = committee.general_branch
        person = self.people.person()
        return Case(self.origin, self.people.uuid(), person, branch, committee.key,
                    gb[0] if gb and branch in gb[2] else None, self.actors, self.units,
                    org_category=committee.org_category)  # fmt: skip

    def story_case(self, story: Story, first: bool = False) -> Case:
        """A case walking `story`, in a suitable branch, at one of its allowed shifts (the first case of each
        story keeps the scenario's own dates, so the paper records start in 2016)."""
        branch = self.rng.choice(GB_BRANCHES if story.where == "gb" else DIRECT_BRANCHES)
        c = self.case(branch)
        born = (1990, 2000) if story.member_type == "probationary" else (1955, 1980)
        c.person = self.people.person(*born)
        others = [b for b in DIRECT_BRANCHES if committee_of(b).key != c.committee]
        c.transfer_to = self.rng.choice(others)
        probe = replace(c, out=[], entries=[])
        shifts = allowed_shifts(story, probe) or [0]
        c.shift = shifts[0] if first else self.rng.choice(shifts)
        story.walk(c)
        return c

    def normal_member(self) -> Case:
        """A member registered in 2021 who pays dues."""
        c = self.case(self.rng.choice(DIRECT_BRANCHES + GB_BRANCHES))
        c.person = self.people.person(1955, 1995)
        joined = (
            f"{self.rng.randint(int(c.person.birth_date[:4]) + 20, 2019)}-{self.rng.randint(1, 12):02d}-01"
        )
        body = {"name": c.person.name, "sex": c.person.sex, "birth_date": c.person.birth_date,
                "id_number": c.person.id_number, "member_type": "full", "joined_on": joined,
                "full_on": f"{int(joined[:4]) + 1}{joined[4:]}", "home": c.unit()}  # fmt: skip
        c.add(
            "MemberRegistered",
            body,
            "BST",
            f"2021-{self.rng.randint(1, 6):02d}-{self.rng.randint(4, 28):02d}",
        )
        year, month = self.rng.randint(2022, 2026), self.rng.randint(1, 10)
        dues = {
            "kind": "dues",
            "period": f"{year}-{month:02d}",
            "amount_fen": self.rng.choice((500, 1000, 2000)),
        }
        c.add("ParticipationRecorded", dues, "BST", f"{year}-{month:02d}-{self.rng.randint(5, 25):02d}")
        return c

    def build_members(self, members: int) -> None:
        """Every story once, more stories up to the case share, then normal members."""
        plan = list(STORIES)
        extra = max(0, int(members * CASE_SHARE) - len(plan))
        plan += [self.rng.choice(STORIES) for _ in range(extra)]
        for number, story in enumerate(plan):
            self.cases.extend(self.story_case(story, first=number < len(STORIES)).out)
            self.report.stories[story.name] = self.report.stories.get(story.name, 0) + 1
        for _ in range(max(0, members - len(plan))):
            self.cases.extend(self.normal_member().out)
        self.report.members = max(members, len(plan))


def _append_all(
    system: LedgerSystem, items: list[Pending], done: int, total: int, progress: Progress | None
) -> int:
    ledger = system.ledger
    previous = ledger.clock
    try:
        for day, group in groupby(sorted(items, key=lambda p: p.recorded), key=lambda p: p.recorded):
            batch = list(group)
            ledger.clock = _clock(day)
            for start in range(0, len(batch), CHUNK):
                chunk = batch[start : start + CHUNK]
                _append_chunk(system, chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    finally:
        ledger.clock = previous
    return done


def _clock(day: str) -> Callable[[], datetime]:
    moment = at(day)
    return lambda: moment


def _append_chunk(system: LedgerSystem, chunk: list[Pending]) -> None:
    try:
        system.ledger.append_many([(p.statement, p.signature) for p in chunk])
    except LedgerError as error:
        index = error.details.get("index", 0) if isinstance(error.details, dict) else 0
        bad = chunk[int(index)].statement
        raise DemoRefused(
            f"the ledger refused {bad['type']} on {bad['occurred_at']} ({bad['stream']}): {error}"
        ) from error


def run_demo(
    settings: Settings, *, seed: int = 1, members: int = 300, progress: Progress | None = None
) -> DemoReport:
    """Fill an empty ledger with the demo world; refuse one that holds more than the genesis."""
    system = open_empty(settings)
    try:
        home = settings.home
        admin_id = (home / ADMIN_ID_FILE).read_text(encoding="ascii").strip()
        admin = DemoActor(
            admin_id, "根管理员", "", ("ADM",), keys.load_private_key(home / ADMIN_KEY_FILE, None)
        )
        builder = DemoBuilder(system.ledger.origin, admin, seed)
        builder.build_world()
        builder.build_members(members)
        total = len(builder.registry) + len(builder.cases)
        done = _append_all(system, builder.registry, 0, total, progress)
        _append_all(system, builder.cases, done, total, progress)
        system.bring_log_up_to_date()
        report = builder.report
        report.statements = total
        report.keystore = str(write_keystore(settings, builder.actors, builder.units, admin))
        return report
    finally:
        system.close()
