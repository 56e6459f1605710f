"""Every error leaves the API as a 4xx JSON ``{"error": code, "message": text}``, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from backend_core.errors import CoreError

log = logging.getLogger(__name__)

HTTP_CODES = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


class ErrorBody(BaseModel):
    """Every error of the API: a code to branch on and a sentence to show or log."""

    error: str
    message: str


MEANINGS = {
    400: "malformed_json: the body is not JSON",
    401: "unauthorized: no or a wrong service token (Authorization: Bearer …)",
    403: "not_verified: the conversation has not verified the account",
    404: "not_found: no such account, bill, meter or work order",
    409: "the Idempotency-Key was used for another payment or work order",
    422: "a value the core cannot take: the error names it (bad_account_no, bad_period, invalid_number, …)",
    503: "database_unavailable: the database does not answer",
}


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the OpenAPI document: the errors a route or router really answers."""
    return {code: {"model": ErrorBody, "description": MEANINGS[code]} for code in codes}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def _describe(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        return 400, "malformed_json", "request body is not valid JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return 422, "invalid_request", f"{where or 'request'}: {first.get('msg', 'invalid value')}"


def install(app: FastAPI) -> None:
    @app.exception_handler(CoreError)
    async def core_error(_: Request, exc: CoreError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(*_describe(exc))

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s", type(exc).__name__, exc_info=exc)
        return error_response(500, "internal_error", "内部错误，请稍后重试")
