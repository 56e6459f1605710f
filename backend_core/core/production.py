"""``POWERDESK_ENV=production``: no service starts with a secret this repository publishes.

Every service reads the same variable (no service prefix, like ``AGENT_HOURS``):
``development`` (the default) runs with the documented demo values; ``production``
makes the billing core, the hub and the action server check, as they start, the secrets
they hold. One still at its published default stops the service with one line on stderr
naming the variable to set, and exit status 78 (EX_CONFIG), which scripts/respawn.py
does not retry: the same settings would be refused again.

Standard library only; each service passes what its own settings hold.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

VARIABLE = "POWERDESK_ENV"
ENVIRONMENTS = ("development", "production")
EX_CONFIG = 78  # sysexits.h

# The published defaults (README, demo_customers.yml): fine for a demo, never in production.
DEFAULT_SERVICE_TOKEN = "dev-core-token"  # CORE_SERVICE_TOKEN
DEMO_AGENT_PASSWORD = "demo-agent-01"  # CONSOLE_DEMO_PASSWORD, the demo agents' password


def environment() -> str:
    return os.environ.get(VARIABLE, "").strip().lower() or "development"


def demo_agent_password() -> str:
    """The password the seeder gives the demo agents (an empty value counts as unset)."""
    return os.environ.get("CONSOLE_DEMO_PASSWORD") or DEMO_AGENT_PASSWORD


def refuse(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EX_CONFIG)


def refuse_published_defaults(service: str, variables: list[str]) -> None:
    """In production, stop when any of ``variables`` (those of the service's secrets still
    at their published default) is not empty; in development, do nothing."""
    env = environment()
    if env not in ENVIRONMENTS:
        refuse(f"{VARIABLE} is {env!r}; set it to development or production")
    if env == "production" and variables:
        names = " and ".join(variables)
        refuse(f"the {service} will not start in production with a published default secret: "
               f"set {names} to a value of your own ({VARIABLE}=production)")
