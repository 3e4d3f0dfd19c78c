"""One-time demo sign-in links (演示登录链接), so a newcomer can look around without picking key files.

``ledger demo-links`` makes one random code per demo role and keeps only its SHA-256, the actor and an
expiry in ``LEDGER_HOME/demo-keys/links.json``; the page ``/ui/demo-sign-in/{code}`` spends the code
once, answers the ordinary sign-in challenge with that actor's demo key on the server, and opens the
usual session. Only a ledger with a demo keystore has links; the demo keys are demo-only by design.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

LINK_TTL = timedelta(hours=24)
_LOCK = threading.Lock()


@dataclass(frozen=True)
class DemoLink:
    """A printed link: the role, the actor's name and the URL path holding the one-time code."""

    role: str
    role_label: str
    name: str
    path: str


def links_file(home: Path) -> Path:
    """Where the link codes' hashes are kept."""
    return home / "demo-keys" / "links.json"


def make_links(home: Path, now: datetime | None = None) -> list[DemoLink]:
    """One fresh code per role of the demo keystore (earlier unused codes stay valid until they expire)."""
    index = home / "demo-keys" / "index.json"
    if not index.is_file():
        return []
    actors: list[dict[str, Any]] = json.loads(index.read_text(encoding="utf-8"))
    expires = ((now or datetime.now(UTC)) + LINK_TTL).isoformat()
    out: list[DemoLink] = []
    entries: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for actor in actors:
        for role, label in zip(actor.get("roles", []), actor.get("role_labels", []), strict=False):
            if role in seen:
                continue
            seen.add(role)
            code = secrets.token_urlsafe(24)
            entries[_digest(code)] = {
                "actor": actor["actor"],
                "key": actor["key"],
                "expires": expires,
                "used": False,
            }
            out.append(DemoLink(role, label, actor.get("name", ""), f"/ui/demo-sign-in/{code}"))
    with _LOCK:
        stored = _load(home)
        stored.update(entries)
        _save(home, stored)
    return out


def spend(home: Path, code: str, now: datetime | None = None) -> tuple[str, Path] | None:
    """The (actor, key file) of an unused, unexpired code, marking it used; None otherwise."""
    digest = _digest(code)
    moment = now or datetime.now(UTC)
    with _LOCK:
        stored = _load(home)
        entry = stored.get(digest)
        if entry is None or entry.get("used") or datetime.fromisoformat(str(entry["expires"])) <= moment:
            return None
        entry["used"] = True
        _save(home, stored)
    key = Path(str(entry["key"]))
    return str(entry["actor"]), key if key.is_absolute() else Path.cwd() / key


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _load(home: Path) -> dict[str, dict[str, Any]]:
    path = links_file(home)
    if not path.is_file():
        return {}
    loaded: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _save(home: Path, stored: dict[str, dict[str, Any]]) -> None:
    path = links_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(stored, indent=1), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)
