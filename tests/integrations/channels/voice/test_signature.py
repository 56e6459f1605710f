"""jambonz's webhook signature."""

from __future__ import annotations

from integrations.channels.voice.signature import TOLERANCE_S, sign, signed

BODY = b'{"call_sid":"CA1"}'
NOW = 1_790_000_000.0


def header(secret: str, stamp: float = NOW, body: bytes = BODY) -> str:
    return f"t={int(stamp)},v1={sign(secret, body, str(int(stamp)))}"


def test_a_request_signed_with_the_secret_passes() -> None:
    assert signed("s3cret", BODY, header("s3cret"), now=NOW)
    assert signed("s3cret", BODY, header("old") + "," + header("s3cret").split(",")[1], now=NOW)  # rotated secrets


def test_forged_changed_replayed_or_unsigned_requests_fail() -> None:
    assert not signed("s3cret", BODY, header("guess"), now=NOW)
    assert not signed("s3cret", BODY + b" ", header("s3cret"), now=NOW)
    assert not signed("s3cret", BODY, header("s3cret", stamp=NOW - TOLERANCE_S - 1), now=NOW)
    assert not signed("s3cret", BODY, None, now=NOW) and not signed("s3cret", BODY, "v1=abc", now=NOW)
