"""The process-wide gateway to the billing core (营销系统).

Which implementation serves it (embedded SQLAlchemy on CORE_DATABASE_URL, or the
core's HTTP API on CORE_BASE_URL with CORE_SERVICE_TOKEN) is the core's own setting
(CORE_GATEWAY); actions see only the :class:`CoreGateway` contract.
"""

from __future__ import annotations

import threading

from backend_core.gateway import make_gateway
from backend_core.gateway.interfaces import CoreGateway

_lock = threading.Lock()
_gateway: CoreGateway | None = None


def get_gateway() -> CoreGateway:
    """The shared gateway, created from the environment on first use."""
    global _gateway
    with _lock:
        if _gateway is None:
            _gateway = make_gateway()
        return _gateway


def use_gateway(gateway: CoreGateway | None) -> None:
    """Replace the shared gateway (tests; None makes the next call read settings again)."""
    global _gateway
    with _lock:
        _gateway = gateway
