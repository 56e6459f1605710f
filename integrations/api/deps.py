"""Objects the routes share, built once per application."""

from __future__ import annotations

from fastapi import Request

from integrations.routing import Router


def get_router(request: Request) -> Router:
    return request.app.state.router
