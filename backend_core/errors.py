"""Errors the core raises, all of them :class:`CoreError` so every caller maps them the same way.

``CoreError`` and ``NotFound`` belong to the gateway contract; the core only adds
the refusal of bad input, which the HTTP API turns into a 422 and the CLI into
exit status 2.
"""

from __future__ import annotations

from backend_core.gateway.interfaces import CoreError, NotFound

__all__ = ["CoreError", "InvalidInput", "NotFound"]


class InvalidInput(CoreError):
    """The request is well-formed but its values cannot be billed or stored."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message, 422)
