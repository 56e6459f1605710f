"""jambonz's webhook signature: proof that a request comes from our jambonz account.

The answer to a webhook steers a live call (and names the agents' queue and SIP line),
so with a secret configured an unsigned or forged request gets nothing but an apology.
jambonz sends ``Jambonz-Signature: t=<unix time>,v1=<hex>``, the HMAC-SHA256 of
``"<t>.<raw body>"`` under the account's webhook secret (the scheme of its own
``verifyJambonzSignature``); an old timestamp is a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Jambonz-Signature"
TOLERANCE_S = 300


def signed(secret: str, body: bytes, header: str | None, now: float | None = None) -> bool:
    if not header:
        return False
    fields = [item.partition("=") for item in header.split(",")]
    stamp = next((value.strip() for key, _, value in fields if key.strip() == "t"), "")
    signatures = [value.strip() for key, _, value in fields if key.strip() == "v1"]
    if not (stamp.isascii() and stamp.isdigit()) or not signatures:
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > TOLERANCE_S:
        return False
    expected = sign(secret, body, stamp)
    # compare_digest takes ASCII text only (a header may carry any latin-1 byte): others cannot match
    return any(signature.isascii() and hmac.compare_digest(expected, signature) for signature in signatures)


def sign(secret: str, body: bytes, stamp: str) -> str:
    return hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
