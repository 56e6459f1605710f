"""The jambonz webhook contract: what jambonz may send us and what we may answer.

The schemas are the upstream ones (``jambonz/``, a byte-identical copy of
../shared/contracts/jambonz, kept equal by a test). Their ``$ref``s name other files by
``$id``, so every file is registered by its ``$id`` in one registry before anything is
compiled. Loading 100 files and building the validators costs tens of milliseconds,
so it happens once per process, on first use.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "jambonz"
BASE = "https://jambonz.org/schema/"
APP = BASE + "jambonz-app"
# The callbacks a voice route accepts, by the name the call flow uses.
CALLBACKS = {
    "session-new": BASE + "callbacks/session-new",
    "gather": BASE + "callbacks/gather",
    "call-status": BASE + "callbacks/call-status",
    "enqueue": BASE + "callbacks/enqueue",
    "enqueue-wait": BASE + "callbacks/enqueue-wait",
    "dial": BASE + "callbacks/dial",
}


@lru_cache(maxsize=1)
def registry() -> Registry:
    """Every schema file, registered under its ``$id``."""
    resources = []
    for path in sorted(SCHEMAS.rglob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(schema_id: str) -> Draft202012Validator:
    schema = registry().contents(schema_id)
    return Draft202012Validator(schema, registry=registry())


def _errors(schema_id: str, instance: Any) -> list[str]:
    """Where and which rule, never the offending value: these go to logs, and a payload's
    values are a caller's number and words."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'} ({error.validator})"
        for error in validator(schema_id).iter_errors(instance)
    ]


def verb_errors(verbs: Any) -> list[str]:
    """Why ``verbs`` is not a jambonz application (an empty list when it is one)."""
    return _errors(APP, verbs)


def payload_errors(callback: str, payload: Any) -> list[str]:
    """Why ``payload`` is not the ``callback`` jambonz sends (an empty list when it is)."""
    return _errors(CALLBACKS[callback], payload)
