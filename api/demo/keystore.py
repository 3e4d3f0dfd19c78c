"""The demo keystore: every demo actor's private key as a PEM file under `LEDGER_HOME/demo-keys/`, and an
`index.json` naming, for each key, the actor id, name, unit, roles and key path (for signing in)."""

from __future__ import annotations

import json
from pathlib import Path

from api.demo.case import DemoActor
from api.demo.world import role_label, unit_specs
from ledger import keys
from ledger.settings import Settings
from ledger.system import ADMIN_KEY_FILE

KEYSTORE_DIR = "demo-keys"
INDEX_FILE = "index.json"


def keystore_dir(settings: Settings) -> Path:
    """Where the demo keys live."""
    return settings.home / KEYSTORE_DIR


def write_keystore(
    settings: Settings, actors: dict[str, DemoActor], units: dict[str, str], admin: DemoActor
) -> Path:
    """Write every actor's key (unencrypted: demo keys only) and the index; the index's path."""
    folder = keystore_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    names = {u.key: u.name for u in unit_specs()}
    index = [{"actor": admin.id, "name": admin.name, "unit": None, "unit_name": None, "roles": list(admin.roles),
              "role_labels": ["根管理员"], "key": str(settings.home / ADMIN_KEY_FILE)}]  # fmt: skip
    for key, actor in actors.items():
        path = folder / f"{key}.pem"
        keys.save_private_key(actor.key, path, None, overwrite=True)
        index.append({"actor": actor.id, "name": actor.name, "unit": units[actor.unit],
                      "unit_name": names[actor.unit], "roles": list(actor.roles),
                      "role_labels": [role_label(r) for r in actor.roles], "key": str(path)})  # fmt: skip
    target = folder / INDEX_FILE
    target.write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def read_index(settings: Settings) -> list[dict[str, object]]:
    """The keystore index written by the demo."""
    loaded: list[dict[str, object]] = json.loads(
        (keystore_dir(settings) / INDEX_FILE).read_text(encoding="utf-8")
    )
    return loaded
