"""Sign-in: challenge, signed answer, bearer token; and every way it is refused."""

from __future__ import annotations

import base64
import json
import uuid

from api.auth import TOKEN_KEY_FILE, sign_challenge
from ledger import keys
from ledger.keys import key_id
from tests.api.conftest import Served, assert_problem
from tests.world import Actor


def challenge(served: Served, actor: Actor) -> str:
    answer = served.client.post(
        "/auth/challenge", json={"actor": actor.id, "key": key_id(actor.key.public_key())}
    )
    assert answer.status_code == 200, answer.text
    nonce: str = answer.json()["nonce"]
    return nonce


def ask_token(
    served: Served, actor: Actor, nonce: str, signer: Actor | None = None, key: str | None = None
) -> object:
    signature = sign_challenge((signer or actor).key, served.world.origin, nonce)
    return served.client.post(
        "/auth/token",
        json={
            "actor": actor.id,
            "key": key or key_id(actor.key.public_key()),
            "nonce": nonce,
            "signature": signature,
        },
    )


def test_a_signed_challenge_buys_a_token_that_opens_reads(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    member = str(uuid.uuid4())
    assert_problem(served.client.get(f"/streams/{member}/head"), 401, "unauthenticated")
    headers = served.sign_in(clerk)
    response = served.client.get(f"/streams/{member}/head", headers=headers)
    assert response.status_code == 200 and response.json()["seq"] == 0


def test_the_token_names_the_actor_the_key_and_the_audience(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    token = served.sign_in(clerk)["Authorization"].removeprefix("Bearer ")
    header, claims = (json.loads(base64.urlsafe_b64decode(part + "==")) for part in token.split(".")[:2])
    assert header["alg"] == "EdDSA" and header["kid"]
    assert claims["sub"] == clerk.id and claims["key"] == key_id(clerk.key.public_key())
    assert claims["aud"] == served.world.origin and claims["exp"] - claims["iat"] == 15 * 60


def test_an_expired_nonce_is_refused(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    nonce = challenge(served, clerk)
    served.clock.advance(minutes=2, seconds=1)
    assert_problem(ask_token(served, clerk, nonce), 401, "bad-nonce")


def test_a_nonce_is_used_once(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    nonce = challenge(served, clerk)
    assert ask_token(served, clerk, nonce).status_code == 200  # type: ignore[attr-defined]
    assert_problem(ask_token(served, clerk, nonce), 401, "bad-nonce")


def test_a_nonce_is_bound_to_its_actor(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    other = served.world.enrol(["BST"])
    nonce = challenge(served, clerk)
    assert_problem(ask_token(served, other, nonce), 401, "bad-nonce")


def test_a_signature_by_another_key_is_refused(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    other = served.world.enrol(["BST"])
    assert_problem(ask_token(served, clerk, challenge(served, clerk), signer=other), 401, "bad-signature")


def test_a_key_not_enrolled_gets_no_token(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    stray = Actor(clerk.id, keys.generate())
    assert_problem(ask_token(served, stray, challenge(served, stray)), 401, "unknown-key")


def test_a_revoked_key_gets_no_token_and_its_tokens_stop_working(served: Served) -> None:
    world = served.world
    clerk = world.enrol(["BST"])
    headers = served.sign_in(clerk)
    world.append(
        clerk.id,
        "KeyRevoked",
        {"actor": clerk.id, "key_id": key_id(clerk.key.public_key()), "revoked_at": "2026-03-14"},
        world.admin,
    )
    assert_problem(ask_token(served, clerk, challenge(served, clerk)), 401, "revoked-key")
    assert_problem(served.client.get(f"/streams/{clerk.id}/head", headers=headers), 401, "revoked-key")


def test_a_token_expires(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    headers = served.sign_in(clerk)
    served.clock.advance(minutes=15)
    assert_problem(served.client.get(f"/streams/{clerk.id}/head", headers=headers), 401, "expired-token")


def _forge(served: Served, claims: dict[str, object]) -> str:
    """A token signed with the server's own token key, with claims of the test's choosing."""
    key = keys.load_private_key(served.world.settings.home / TOKEN_KEY_FILE, None)

    def part(value: object) -> str:
        raw = value if isinstance(value, bytes) else json.dumps(value).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = {"alg": "EdDSA", "kid": key_id(key.public_key()), "typ": "JWT"}
    signed = f"{part(header)}.{part(claims)}"
    return f"{signed}.{part(key.sign(signed.encode()))}"


def test_a_token_for_another_audience_is_refused(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    now = int(served.clock.now.timestamp())
    claims = {
        "iss": "other.example.org/ledger",
        "aud": "other.example.org/ledger",
        "sub": clerk.id,
        "key": key_id(clerk.key.public_key()),
        "iat": now,
        "exp": now + 600,
    }
    token = _forge(served, claims)
    response = served.client.get(f"/streams/{clerk.id}/head", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "bad-token")
    claims.update(iss=served.world.origin, aud=served.world.origin)
    token = _forge(served, claims)
    response = served.client.get(f"/streams/{clerk.id}/head", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_garbage_tokens_are_refused_not_crashed_on(served: Served) -> None:
    for token in ("x", "a.b.c", "....", "eyJ9.eyJ9.AAAA", "é.é.é"):
        response = served.client.get(
            f"/streams/{uuid.uuid4()}/head", headers={"Authorization": f"Bearer {token}".encode()}
        )
        assert_problem(response, 401, "bad-token")


def test_malformed_sign_in_requests_are_validation_problems(served: Served) -> None:
    assert_problem(served.client.post("/auth/challenge", json={"actor": "nobody"}), 422, "validation")
    assert_problem(served.client.post("/auth/token", content=b"not json"), 422, "validation")
