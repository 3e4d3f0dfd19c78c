"""Python client SDK: holds an actor's key, builds and signs statements, submits them, checks proofs.

The private key never leaves the client: statements are built on the stream head the server reports,
canonicalised and signed here (DESIGN.md "The one stored thing"). A ``stale-head`` refusal (someone else
extended the stream first) is answered by rebuilding on the new head, a bounded number of times.

Example::

    with LedgerClient("http://127.0.0.1:8000", actor_id, "clerk.pem") as ledger:
        receipt = ledger.append(member_id, "SearchAttemptRecorded", body, "2026-03-14")
        ledger.verify_inclusion(receipt.hash)
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel

from api.auth import sign_challenge
from api.client_reads import ReadMethods
from ledger import keys, merkle, note
from ledger.logrunner import leaf_hash_of
from ledger.statement import new_statement, sign_statement
from ledger.timefmt import parse_recorded_at

SignedItem = tuple[dict[str, Any], str]


class LedgerApiError(Exception):
    """The server refused a request; ``type`` is the problem's stable code (e.g. ``stale-head``)."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        self.status = status
        self.problem = dict(problem)
        self.type = str(problem.get("type", "http-error"))
        self.detail = str(problem.get("detail", ""))
        super().__init__(f"{self.type} ({status}): {self.detail}")


class VerificationFailed(Exception):
    """A checkpoint or proof the server sent does not verify."""


@dataclass(frozen=True)
class Receipt:
    """The server's answer for an accepted statement."""

    hash: str
    stream: str
    seq: int
    recorded_at: str
    order: int


@dataclass(frozen=True)
class Inclusion:
    """A statement proved to be in the log under a verified checkpoint."""

    position: int
    tree_size: int
    recorded_at: str


class LedgerClient(ReadMethods):
    """A signed-in actor's connection to a ledger service (typed reads: ``api.client_reads``)."""

    def __init__(
        self,
        base_url: str,
        actor: str,
        key_path: str | Path,
        passphrase: str | None = None,
        *,
        verifier_key: str | None = None,
        max_retries: int = 3,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        """``verifier_key`` pins the ledger's key (else it is fetched once from the server: trust on first use)."""
        self.actor = actor
        self._key = keys.load_private_key(key_path, passphrase)
        self.key_id = keys.key_id(self._key.public_key())
        self.max_retries = max_retries
        self._http = http or httpx.Client(base_url=base_url, timeout=timeout)
        self._verifier = note.VerifierKey.parse(verifier_key) if verifier_key else None
        self._origin: str | None = None
        self._token: str | None = None
        self._token_expires = datetime.min.replace(tzinfo=UTC)

    def __enter__(self) -> LedgerClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    # -- plumbing ----------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, auth: bool = False, **kw: Any) -> httpx.Response:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._bearer()}"} if auth else {}
            response = self._http.request(method, path, headers=headers, **kw)
            if response.is_success:
                return response
            problem = _problem(response)
            if auth and attempt == 1 and problem.get("type") == "expired-token":
                self._token = None
                continue
            raise LedgerApiError(response.status_code, problem)
        raise AssertionError("unreachable")  # pragma: no cover

    def _bearer(self) -> str:
        if self._token is None or self._token_expires - timedelta(seconds=30) <= datetime.now(UTC):
            self.sign_in()
        assert self._token is not None
        return self._token

    @property
    def origin(self) -> str:
        """The ledger's origin (its name in statements and checkpoints)."""
        if self._origin is None:
            self._origin = str(self._call("GET", "/ready").json()["origin"])
        return self._origin

    # -- sign-in and reads -------------------------------------------------------------------------

    def sign_in(self) -> str:
        """Answer a fresh challenge with the actor's key; keep and return the bearer token."""
        who = {"actor": self.actor, "key": self.key_id}
        challenge = self._call("POST", "/auth/challenge", json=who).json()
        if challenge["origin"] != self.origin:
            raise VerificationFailed(f"challenge for {challenge['origin']!r}, expected {self.origin!r}")
        signature = sign_challenge(self._key, self.origin, challenge["nonce"])
        answer = self._call(
            "POST", "/auth/token", json={**who, "nonce": challenge["nonce"], "signature": signature}
        ).json()
        self._token = str(answer["access_token"])
        self._token_expires = parse_recorded_at(answer["expires_at"])
        return self._token

    def head(self, stream: str) -> tuple[int, str]:
        """The stream's head ``(seq, hash)``; ``(0, 64 zeros)`` for a stream not yet begun."""
        head = self._call("GET", f"/streams/{stream}/head", auth=True).json()
        return int(head["seq"]), str(head["hash"])

    # -- writing -----------------------------------------------------------------------------------

    def sign(
        self,
        stream: str,
        type: str,
        body: Mapping[str, Any] | BaseModel,
        occurred_at: str | date,
        *,
        seq: int,
        prev: str,
    ) -> SignedItem:
        """A statement extending ``(seq - 1, prev)``, signed with the actor's key."""
        statement = new_statement(
            ledger=self.origin,
            stream=stream,
            seq=seq,
            prev=prev,
            type=type,
            occurred_at=occurred_at.isoformat() if isinstance(occurred_at, date) else occurred_at,
            actor=self.actor,
            private_key=self._key,
            body=_plain(body),
        )
        return statement, sign_statement(statement, self._key)[1]

    def submit(self, statement: Mapping[str, Any], signature: str) -> Receipt:
        """Send one signed statement as it is (no rebuilding)."""
        path = f"/streams/{statement['stream']}/statements"
        payload = {"statement": dict(statement), "signature": signature}
        return Receipt(**self._call("POST", path, json=payload).json())

    def submit_batch(self, items: Sequence[SignedItem]) -> list[Receipt]:
        """Send signed statements in one transaction: all are recorded, or none."""
        payload = {"items": [{"statement": s, "signature": sig} for s, sig in items]}
        receipts = self._call("POST", "/statements/batch", json=payload).json()["receipts"]
        return [Receipt(**receipt) for receipt in receipts]

    def append(
        self, stream: str, type: str, body: Mapping[str, Any] | BaseModel, occurred_at: str | date
    ) -> Receipt:
        """Build on the stream's head, sign, submit; rebuild and retry on ``stale-head``."""
        seq, prev = self.head(stream)
        for attempt in range(self.max_retries + 1):
            statement, signature = self.sign(stream, type, body, occurred_at, seq=seq + 1, prev=prev)
            try:
                return self.submit(statement, signature)
            except LedgerApiError as refusal:
                head = refusal.problem.get("head")
                if refusal.type != "stale-head" or attempt == self.max_retries:
                    raise
                seq, prev = (int(head["seq"]), str(head["hash"])) if head else self.head(stream)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- verification ------------------------------------------------------------------------------

    def verifier(self) -> note.VerifierKey:
        """The ledger's verifier key: the pinned one, else the server's (fetched once)."""
        if self._verifier is None:
            self._verifier = note.VerifierKey.parse(self._call("GET", "/ledger/verifier-key").text.strip())
        return self._verifier

    def checkpoint(self) -> note.Checkpoint:
        """The latest checkpoint, its signature verified with the ledger's verifier key."""
        text = self._call("GET", "/ledger/checkpoint").text
        try:
            return note.parse_checkpoint(text, self.verifier())
        except note.NoteError as error:
            raise VerificationFailed(f"the checkpoint does not verify: {error}") from None

    def verify_inclusion(self, statement_hash: str, *, wait: float = 10.0) -> Inclusion:
        """Prove that a statement is a leaf of the log under a verified checkpoint.

        Waits up to ``wait`` seconds for the log to include a statement just written. The leaf hash is
        recomputed here from the statement hash, position and ``recorded_at``; nothing is taken on trust.
        """
        deadline = time.monotonic() + wait
        while True:
            checkpoint = self.checkpoint()
            try:
                proof = self._call(
                    "GET",
                    "/ledger/proof/inclusion",
                    params={"hash": statement_hash, "tree_size": checkpoint.size},
                ).json()
                break
            except LedgerApiError as refusal:
                if refusal.type != "not-found" or time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)
        index = int(proof["index"])
        leaves = self._call("GET", "/ledger/leaves", params={"start": index, "end": index + 1}).json()[
            "leaves"
        ]
        if not leaves or leaves[0]["hash"] != statement_hash:
            raise VerificationFailed(f"leaf {index} is not statement {statement_hash}")
        leaf = leaf_hash_of(statement_hash, index, leaves[0]["recorded_at"])
        path = [bytes.fromhex(node) for node in proof["proof"]]
        if not merkle.verify_inclusion(index, checkpoint.size, leaf, path, checkpoint.root):
            raise VerificationFailed(f"the inclusion proof of {statement_hash} does not verify")
        return Inclusion(position=index, tree_size=checkpoint.size, recorded_at=leaves[0]["recorded_at"])


def _plain(body: Mapping[str, Any] | BaseModel) -> dict[str, Any]:
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", exclude_none=True)
    return dict(body)


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"type": "http-error", "status": response.status_code, "detail": response.text[:200]}
