"""WeChat's server protocol: signatures, safe-mode (AES) envelopes, message XML.

Everything cryptographic and every parse is wechatpy's own; this module only adds what
a public endpoint needs around it: a size limit, a refusal of any DTD (so no external
entity or entity expansion can reach the XML parser), a freshness check on the
timestamp, and one exception per kind of refusal so the route can answer 403 or 400.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from integrations.core.config import HubSettings

# WeChat signs with its own clock; a request older than this is a replay, not a retry
# (WeChat's retries come within 15 s).
MAX_AGE_S = 300
# WeChat's openids are 28 characters of [A-Za-z0-9_-]; the bindings keep up to 64.
OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class Refused(Exception):
    """The request does not come from WeChat (bad or stale signature): 403."""


class Malformed(Exception):
    """The request is WeChat-signed but not a message we can read: 400."""


@dataclass(frozen=True)
class Signed:
    """The query WeChat adds to every request."""

    signature: str
    timestamp: str
    nonce: str
    msg_signature: str = ""  # safe mode only

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Signed:
        return cls(query.get("signature", ""), query.get("timestamp", ""), query.get("nonce", ""),
                   query.get("msg_signature", ""))


class WeChatProtocol:
    def __init__(self, settings: HubSettings) -> None:
        self._token = settings.wechat_token
        self.max_bytes = settings.wechat_max_body_bytes
        key = settings.wechat_encoding_aes_key
        self._crypto = WeChatCrypto(self._token, key, settings.wechat_app_id) if key else None

    def verify(self, signed: Signed) -> None:
        """Refused unless WeChat signed this request (token, timestamp, nonce) recently."""
        if not self._token:
            raise Refused("WECHAT_TOKEN is not set")
        try:
            check_signature(self._token, signed.signature, signed.timestamp, signed.nonce)
        except InvalidSignatureException as exc:
            raise Refused("bad signature") from exc
        try:
            age = abs(time.time() - int(signed.timestamp))
        except ValueError as exc:
            raise Refused("bad timestamp") from exc
        if age > MAX_AGE_S:
            raise Refused(f"timestamp {age:.0f} s old")

    def open(self, body: bytes, signed: Signed) -> BaseMessage:
        """The message or event in a POST body (decrypted in safe mode)."""
        self.verify(signed)
        xml = _checked(body, self.max_bytes)
        if self._crypto is not None:
            try:
                xml = self._crypto.decrypt_message(xml, signed.msg_signature, signed.timestamp, signed.nonce)
            except (InvalidSignatureException, InvalidAppIdException) as exc:
                raise Refused("bad message signature") from exc
            except Exception as exc:  # a broken envelope: wechatpy raises whatever the decoder did
                raise Malformed("unreadable encrypted message") from exc
            xml = _checked(xml.encode() if isinstance(xml, str) else xml, self.max_bytes)
        try:
            message = parse_message(xml)
            _read_fields(message)
            complete = bool(message.source) and message.create_time is not None
        except Exception as exc:  # missing MsgType, wrong root, fields of the wrong type
            raise Malformed("not a WeChat message") from exc
        if not complete:
            raise Malformed("message without a sender")
        return message

    def reply(self, message: BaseMessage, text: str, signed: Signed) -> str:
        """A passive text reply to ``message``, sealed in safe mode."""
        # wechatpy puts the text in one CDATA section as it is: a "]]>" in it (the bot may
        # quote the customer) would end the section early and break the XML WeChat reads.
        xml = TextReply(message=message, content=text.replace("]]>", "]]]]><![CDATA[>")).render()
        if self._crypto is None:
            return xml
        return self._crypto.encrypt_message(xml, signed.nonce, signed.timestamp)


def _read_fields(message: BaseMessage) -> None:
    """Every field the message's type declares is text and converts to its type (wechatpy
    converts when a field is read): a field that holds elements instead of text, or a
    MsgId or CreateTime that is not a number, fails here and not in the middle of a turn."""
    for name, declared in type(message)._fields.items():
        raw = message._data.get(declared.name)
        if raw is not None and not isinstance(raw, str):
            raise TypeError(f"{declared.name} is not text")
        getattr(message, name)
    if not OPENID.fullmatch(message.source or ""):
        raise ValueError("FromUserName is not an openid")
    if message.id is not None and not 0 <= message.id < 2**64:
        raise ValueError("MsgId is not a 64-bit id")


def _checked(body: bytes, max_bytes: int) -> str:
    """The body as text, refused when too big, not UTF-8, not XML, or carrying a DTD."""
    if not body.strip():
        raise Malformed("empty body")
    if len(body) > max_bytes:
        raise Malformed(f"body of {len(body)} bytes")
    try:
        text = body.decode("utf-8")
        fromstring(text, forbid_dtd=True)
    except (UnicodeDecodeError, DefusedXmlException, SyntaxError, ValueError) as exc:
        raise Malformed(f"not safe XML: {type(exc).__name__}") from exc
    return text
