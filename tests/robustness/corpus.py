"""The bad-input corpus: every public surface of the hub and the core, each request a
:class:`Case` (one test id each), built here from the kinds of bad input below.

Kinds: empty, huge (MBs), binary and not-UTF-8 bodies; JSON nested 10 000 deep; every
JSON field given the wrong type (null, a bool, a list, an object, a number for text or
text for a number), numbers out of every range (huge ints, ±1e308, NaN, Infinity) where
numbers or digits belong, lone surrogates and NUL where text belongs; SQL and HTML/script
injection in the text fields; malformed XML, XML with a DTD or entities; missing, wrong,
stale and non-ASCII signatures and replayed WeChat messages; wrong content types; path and
query parameters that are not integers or are huge.

A case names what it sends; the tests (test_*.py beside this module) send it and check
what every case must hold (no 5xx, no stack trace or internal name in the body, nothing
stored when refused) and what the case itself says: ``expect`` ("refused": a 4xx, or on
the voice line the apology and hang-up; "accepted": a 2xx; "any") and, for injection
strings a route accepts, ``check``: how to find the stored text and what the API returns
for it, which must be the string exactly as sent.

``CASES`` holds all of them; ``by_surface(name)`` one surface's.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

CORE_TOKEN = "robust-core-token"
VOICE_SECRET = "robust-voice-secret"
HELD_SENDER = "robust-held"  # agent01 holds this web customer's conversation
OTHER_SENDER = "robust-other"  # agent02 holds this one
HANDOFF_SENDERS = frozenset({HELD_SENDER, OTHER_SENDER})
MISSING_ID = 987654321  # no conversation, canned response or ticket has this id

# -- values ----------------------------------------------------------------------------

# Raw JSON for a field of the wrong type: every field gets each of these...
WRONG_TYPES: dict[str, str] = {
    "null": "null",
    "true": "true",
    "list": "[1, 2]",
    "object": '{"a": 1}',
}
# ...and a number where text belongs or text where a number does,
NOT_TEXT, NOT_NUMBER = ("float", "1.5"), ("word", '"abc"')
# numbers out of every range where numbers (or digits in text) belong,
EXTREME_NUMBERS: dict[str, str] = {
    "huge-int": "1" + "0" * 40,
    "1e308": "1e308",
    "-1e308": "-1e308",
    "nan": "NaN",
    "infinity": "Infinity",
}
# and text no database can store where text belongs.
BAD_TEXT: dict[str, str] = {
    "lone-surrogate": '"\\ud800"',
    "nul": '"a\\u0000b"',
}


def wrong_values(value: Any) -> dict[str, str]:
    """The raw JSON values a field holding ``value`` is given instead."""
    kinds = dict(WRONG_TYPES)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    digits = isinstance(value, str) and value.replace(".", "", 1).isdigit()
    kinds.update([NOT_NUMBER] if numeric else [NOT_TEXT])
    if numeric or digits:
        kinds.update(EXTREME_NUMBERS)
    if isinstance(value, str):
        kinds.update(BAD_TEXT)
    return kinds


SQL_INJECTION = {
    "sql-or": "' OR '1'='1",
    "sql-drop": "'; DROP TABLE messages; --",
    "sql-union": "1' UNION SELECT username, password_hash FROM agents --",
    "sql-comment": "admin'/*",
}
HTML_INJECTION = {
    "html-script": "<script>alert(1)</script>",
    "html-img": '<img src=x onerror="alert(1)">',
    "html-attr": '"><svg onload=alert(1)>',
    "cdata-break": "]]><script>alert(1)</script><![CDATA[",
}
INJECTIONS = SQL_INJECTION | HTML_INJECTION

NOT_INTS = {
    "word": "abc",
    "float": "1.5",
    "negative": "-1",
    "zero": "0",
    "huge": "9" * 30,
    "int64-overflow": str(2**63),
    "int32-overflow": str(2**31),
    "exponent": "1e3",
    "nan": "NaN",
    "sql": "1%20OR%201=1",
    "nul": "1%00",
}

MB = 1024 * 1024
DEEP = 10_000


def nested_list(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


def nested_object(depth: int = DEEP) -> str:
    return '{"a":' * depth + "1" + "}" * depth


# -- cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request. ``path`` and ``body`` may hold placeholders the tests fill in:
    {held}, {other} (conversation ids), {missing}, {sender} (a sender of this case
    alone), {chat_sender} (the web chat session's sender)."""

    id: str
    surface: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # hub: none | chat | agent | agent-no-csrf | agent-bad-csrf | agent-forged-cookie;
    # core: none | token | wrong-token | not-bearer;
    # wechat: signed | unsigned | forged | stale | bad-timestamp | future | sealed (safe mode) | sealed-forged;
    # voice: signed | unsigned | forged | stale | malformed-signature | non-ascii-signature
    auth: str = "none"
    expect: str = "any"  # refused | accepted | any
    check: str | None = None  # how to find an accepted injection string (the tests' CHECKS)
    value: str | None = None  # the string that must come back exactly
    app: str = "main"  # hub: main | safe (WeChat safe mode)
    replay: bool = False  # send twice; the second must store nothing

    @property
    def test_id(self) -> str:
        return f"{self.surface}/{self.id}"


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode()


SLOT = "\x00slot\x00"


def with_raw(base: dict[str, Any], path: tuple[str, ...], raw: str) -> bytes:
    """``base`` as JSON with the field at ``path`` replaced by the raw JSON ``raw``."""
    doc = json.loads(json.dumps(base))
    target = doc
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = SLOT
    return json.dumps(doc, ensure_ascii=True).replace(json.dumps(SLOT), raw).encode()


def fields_of(base: dict[str, Any], extra: tuple[tuple[str, ...], ...] = ()) -> list[tuple[str, ...]]:
    return [(k,) for k in base] + list(extra)


JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class JsonRoute:
    """A route taking a JSON body: the bad bodies of every kind are built from ``base``."""

    surface: str
    name: str
    method: str
    path: str
    base: dict[str, Any]
    auth: str
    extra_fields: tuple[tuple[str, ...], ...] = ()
    text_fields: dict[tuple[str, ...], str | None] = field(default_factory=dict)  # field -> check when accepted
    headers: dict[str, str] = field(default_factory=dict)
    main_text: tuple[str, ...] | None = None  # the field a huge body fills
    typed_fields: tuple[tuple[str, ...], ...] | None = None  # the fields given wrong types (None: every field)
    whole_body: bool = True  # False: another route with the same body parser has the whole-body kinds


def json_route_cases(route: JsonRoute) -> Iterator[Case]:
    headers = JSON | route.headers

    def case(kind: str, body: bytes | None, expect: str = "any", heads: dict[str, str] | None = None,
             **extra: Any) -> Case:
        return Case(f"{route.name}/{kind}", route.surface, route.method, route.path, body,
                    headers if heads is None else heads, route.auth, expect, **extra)

    huge_field = route.main_text or next(iter(route.text_fields), None) or (next(iter(route.base)),)
    if route.whole_body:
        yield case("empty-body", b"", "any")
        yield case("not-json", b'{"sender": "x", "message": ', "refused")
        yield case("binary", bytes(range(256)) * 4, "refused")
        yield case("invalid-utf8", b'{"x": "\xff\xfe\xfa", "y": "\xc3\x28"}', "refused")
        yield case("nested-list", nested_list().encode(), "refused")
        yield case("nested-object", nested_object().encode(), "refused")
        yield case("top-level-list", b"[]", "refused")
        yield case("top-level-number", b"1e999", "refused")
        yield case("text-plain", _json(route.base), "any", route.headers | {"Content-Type": "text/plain"})
        yield case("form-encoded", b"a=1&b=2", "any",
                   route.headers | {"Content-Type": "application/x-www-form-urlencoded"})
        yield case("huge-body", with_raw(route.base, huge_field, json.dumps("电" * (3 * MB // 3))), "any")
    yield case("nested-field", with_raw(route.base, huge_field, nested_list()), "refused")
    for path in route.typed_fields or fields_of(route.base, route.extra_fields):
        name = ".".join(path)
        for kind, raw in wrong_values(_at(route.base, path)).items():
            yield case(f"{name}={kind}", with_raw(route.base, path, raw))
        yield case(f"{name}=missing", _json(_without(route.base, path)))
    for path, check in route.text_fields.items():
        name = ".".join(path)
        for kind, text in INJECTIONS.items():
            yield case(f"{name}={kind}", with_raw(route.base, path, json.dumps(text)), check=check, value=text,
                       expect="accepted" if check else "any")


def _at(base: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = base
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _without(base: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    doc = json.loads(json.dumps(base))
    target = doc
    for key in path[:-1]:
        target = target.get(key, {})
    target.pop(path[-1], None)
    return doc


# -- the hub's JSON routes ------------------------------------------------------------------

HUB_ROUTES = [
    JsonRoute("rest", "webhook", "POST", "/webhooks/rest/webhook",
              {"sender": "{sender}", "message": "你好", "metadata": {"channel": "web"}}, "none",
              extra_fields=(("metadata", "channel"), ("metadata", "token")),
              text_fields={("message",): "rest-message", ("sender",): "rest-sender", ("metadata", "channel"): None},
              main_text=("message",)),
    JsonRoute("rest", "webhook-with-session", "POST", "/webhooks/rest/webhook",
              {"sender": "{chat_sender}", "message": "你好"}, "chat",
              text_fields={("message",): "chat-message"}, main_text=("message",), typed_fields=(), whole_body=False),
    JsonRoute("chat", "sessions", "POST", "/api/chat/sessions", {"sender": "{chat_sender}"}, "chat",
              text_fields={("sender",): None}),
    JsonRoute("chat", "rating", "POST", "/api/chat/rating", {"score": 5, "comment": "很好"}, "chat",
              text_fields={("comment",): None}),
    JsonRoute("console", "login", "POST", "/api/console/login", {"username": "agent01", "password": "wrong"}, "none",
              text_fields={("username",): None, ("password",): None}),
    JsonRoute("console", "messages", "POST", "/api/console/conversations/{held}/messages", {"text": "您好"}, "agent",
              text_fields={("text",): "console-message"}),
    JsonRoute("console", "notes", "POST", "/api/console/conversations/{held}/notes", {"text": "备注"}, "agent",
              text_fields={("text",): "console-note"}),
    JsonRoute("console", "kb-candidates", "POST", "/api/console/conversations/{held}/kb-candidates",
              {"question": "问题", "answer": "答案"}, "agent",
              text_fields={("question",): "kb-candidate", ("answer",): "kb-candidate"}),
    JsonRoute("console", "canned", "POST", "/api/console/canned", {"title": "标题", "text": "常用语"}, "agent",
              text_fields={("title",): "canned", ("text",): "canned"}),
    JsonRoute("console", "canned-change", "PUT", "/api/console/canned/{missing}", {"title": "标题", "text": "常用语"},
              "agent", typed_fields=(("title",),), whole_body=False),
]

# -- the core's JSON routes ------------------------------------------------------------------

CORE_ROUTES = [
    JsonRoute("core", "quote-residential", "POST", "/api/billing/quote",
              {"tariff": "residential_tiered", "period": "2026-10", "kwh": 420, "prior_kwh_this_year": 2500,
               "persons": 4, "large_household": False, "low_income": False,
               "time_of_use": {"peak_kwh": 200, "valley_kwh": 220}}, "none",
              typed_fields=(("tariff",), ("period",), ("kwh",), ("large_household",), ("time_of_use",),
                            ("time_of_use", "peak_kwh"))),
    JsonRoute("core", "quote-commercial", "POST", "/api/billing/quote",
              {"tariff": "commercial_single_part", "period": "2026-05",
               "kwh_by_period": {"peak": 1830, "flat": 1240, "valley": 760}}, "none",
              typed_fields=(("kwh_by_period",), ("kwh_by_period", "peak")), whole_body=False),
    JsonRoute("core", "quote-late-fee", "POST", "/api/billing/quote",
              {"tariff": "late_fee", "customer_class": "residential", "amount": "200.00", "bill_period": "2026-10",
               "paid_on": "2026-11-28"}, "none", typed_fields=(("amount",), ("paid_on",)), whole_body=False),
    JsonRoute("core", "payment", "POST", "/api/accounts/3300012349/payments",
              {"amount": "10.00", "channel": "wechat", "paid_at": "2026-11-20T10:00:00"}, "token",
              headers={"Idempotency-Key": "robust-{sender}"}, text_fields={("channel",): None}),
    JsonRoute("core", "work-order", "POST", "/api/work-orders",
              {"type": "complain", "fields": {"description": "抄表员态度不好"}, "account_no": "3300012345",
               "contact_phone": "13800138000", "urgent": False}, "token",
              headers={"Idempotency-Key": "robust-{sender}"}, extra_fields=(("fields", "description"),),
              text_fields={("fields", "description"): "core-work-order", ("account_no",): None}),
    JsonRoute("core", "identity", "POST", "/api/identity/verify",
              {"account_no": "3300012345", "phone_last4": "8000", "session_id": "robust-{sender}"}, "token",
              text_fields={("account_no",): None, ("session_id",): None}),
    JsonRoute("core", "contact-phone", "PUT", "/api/accounts/3300012345/contact-phone",
              {"new_phone": "13900139000", "session_id": "robust-unverified"}, "token"),
    JsonRoute("core", "outage-subscription", "POST", "/api/accounts/3300012347/outage-subscriptions",
              {"channel": "sms", "target": "13800138000"}, "token", text_fields={("target",): None}),
    JsonRoute("core", "agents", "POST", "/api/agents/authenticate", {"username": "agent01", "password": "wrong"},
              "token", text_fields={("username",): None}),
]


def hub_path_cases() -> Iterator[Case]:
    """Path and query parameters that are not integers or are huge, on every route with one."""
    routes = [
        ("GET", "/api/console/conversations/{id}", None),
        ("GET", "/api/console/conversations/{id}/suggestions", None),
        ("POST", "/api/console/conversations/{id}/claim", None),
        ("POST", "/api/console/conversations/{id}/messages", _json({"text": "您好"})),
        ("POST", "/api/console/conversations/{id}/notes", _json({"text": "备注"})),
        ("POST", "/api/console/conversations/{id}/handback", None),
        ("POST", "/api/console/conversations/{id}/resolve", None),
        ("POST", "/api/console/conversations/{id}/kb-candidates", _json({"question": "问", "answer": "答"})),
        ("PUT", "/api/console/canned/{id}", _json({"title": "标题", "text": "常用语"})),
        ("DELETE", "/api/console/canned/{id}", None),
    ]
    for method, path, body in routes:
        route = path.replace("/{id}", "").removeprefix("/api/console/") or "id"
        every = (method, path) == ("GET", "/api/console/conversations/{id}")
        for kind, value in NOT_INTS.items():
            if not every and kind not in ("word", "negative", "huge", "int32-overflow", "int64-overflow"):
                continue
            yield Case(f"{method.lower()}-{route.replace('/', '-')}/id={kind}", "console", method,
                       path.replace("{id}", value), body, JSON, "agent", "any")
        yield Case(f"{method.lower()}-{route.replace('/', '-')}/id=missing", "console", method,
                   path.replace("{id}", "{missing}"), body, JSON, "agent",
                   "any" if route.endswith("suggestions") else "refused")  # suggestions for nothing: none
    for kind, value in NOT_INTS.items():
        yield Case(f"metrics/days={kind}", "console", "GET", f"/api/console/metrics?days={value}", auth="agent")
        yield Case(f"messages/after={kind}", "chat", "GET", f"/api/chat/messages?after={value}", auth="chat")


def hub_auth_cases() -> Iterator[Case]:
    """Every console route without a session, with a forged cookie, without and with a wrong CSRF token."""
    unsafe = [
        ("POST", "/api/console/conversations/{held}/claim", None),
        ("POST", "/api/console/conversations/{held}/messages", _json({"text": "您好"})),
        ("POST", "/api/console/conversations/{held}/notes", _json({"text": "备注"})),
        ("POST", "/api/console/conversations/{held}/handback", None),
        ("POST", "/api/console/conversations/{held}/resolve", None),
        ("POST", "/api/console/conversations/{held}/kb-candidates", _json({"question": "问", "answer": "答"})),
        ("POST", "/api/console/canned", _json({"title": "t", "text": "x"})),
        ("PUT", "/api/console/canned/1", _json({"title": "t", "text": "x"})),
        ("DELETE", "/api/console/canned/1", None),
        ("POST", "/api/console/logout", None),
    ]
    safe = [
        ("GET", "/api/console/me", None), ("GET", "/api/console/queue", None),
        ("GET", "/api/console/conversations/{held}", None), ("GET", "/api/console/conversations/{held}/suggestions", None),
        ("GET", "/api/console/canned", None), ("GET", "/api/console/metrics", None),
    ]
    for method, path, body in unsafe + safe:
        name = f"{method.lower()}-{path.removeprefix('/api/console/').replace('/', '-')}"
        for auth in ("none", "agent-forged-cookie"):
            yield Case(f"{name}/{auth}", "console", method, path, body, JSON, auth, "refused")
        if (method, path, body) in unsafe:
            for auth in ("agent-no-csrf", "agent-bad-csrf"):
                yield Case(f"{name}/{auth}", "console", method, path, body, JSON, auth, "refused")
    for method, path in (("GET", "/api/chat/messages"), ("POST", "/api/chat/rating")):
        for auth in ("none", "chat-forged", "chat-not-bearer"):
            yield Case(f"{path.rsplit('/', 1)[1]}/{auth}", "chat", method, path,
                       _json({"score": 5}) if method == "POST" else None, JSON, auth, "refused")
    for auth in ("none", "chat-forged"):  # someone else's sender, with no or a wrong token
        yield Case(f"resume-session/{auth}", "chat", "POST", "/api/chat/sessions", _json({"sender": "{chat_sender}"}),
                   JSON, auth, "refused")
        yield Case(f"webhook-session-sender/{auth}", "rest", "POST", "/webhooks/rest/webhook",
                   _json({"sender": "{chat_sender}", "message": "冒充"}), JSON, auth, "refused")
    yield Case("webhook-token-in-metadata-wrong", "rest", "POST", "/webhooks/rest/webhook",
               _json({"sender": "{chat_sender}", "message": "冒充", "metadata": {"token": "guess"}}), JSON, "none",
               "refused")
    yield Case("webhook-token-in-metadata-not-a-string", "rest", "POST", "/webhooks/rest/webhook",
               _json({"sender": "{chat_sender}", "message": "冒充", "metadata": {"token": ["guess"]}}), JSON, "none",
               "refused")


def hub_misc_cases() -> Iterator[Case]:
    yield Case("webhook/sender-too-long", "rest", "POST", "/webhooks/rest/webhook",
               _json({"sender": "s" * 129, "message": "你好"}), JSON, expect="refused")
    yield Case("webhook/sender-empty", "rest", "POST", "/webhooks/rest/webhook",
               _json({"sender": "", "message": "你好"}), JSON, expect="refused")
    yield Case("webhook/metadata-deep", "rest", "POST", "/webhooks/rest/webhook",
               with_raw({"sender": "{sender}", "message": "你好", "metadata": {}}, ("metadata", "x"), nested_object(900)), JSON)
    yield Case("webhook/control-characters", "rest", "POST", "/webhooks/rest/webhook",
               _json({"sender": "{sender}", "message": "\x00\x01\x1b[31m红\u202e\ufeff", "metadata": {}}), JSON)
    yield Case("webhook/only-whitespace", "rest", "POST", "/webhooks/rest/webhook",
               _json({"sender": "{sender}", "message": " \t\n\u3000"}), JSON, expect="accepted")
    yield Case("webhook/emoji-and-rtl", "rest", "POST", "/webhooks/rest/webhook",
               _json({"sender": "{sender}", "message": "😀👍🏽\u202e电费"}), JSON, expect="accepted")
    yield Case("webhook/get", "rest", "GET", "/webhooks/rest/webhook", expect="refused")
    yield Case("sessions/sender-nul", "chat", "POST", "/api/chat/sessions", _json({"sender": "a\x00b"}), JSON, "none",
               "refused")
    yield Case("sessions/sender-surrogate", "chat", "POST", "/api/chat/sessions", b'{"sender": "\\udfff"}', JSON,
               "none", "refused")
    yield Case("rating/score-out-of-range", "chat", "POST", "/api/chat/rating", _json({"score": 6}), JSON, "chat",
               "refused")
    yield Case("rating/not-asked", "chat", "POST", "/api/chat/rating", _json({"score": 5}), JSON, "chat", "refused")
    yield Case("login/unknown-agent", "console", "POST", "/api/console/login",
               _json({"username": "nobody", "password": "x"}), JSON, expect="refused")
    yield Case("login/long-password", "console", "POST", "/api/console/login",
               _json({"username": "agent01", "password": "p" * 201}), JSON, expect="refused")
    yield Case("login/non-ascii", "console", "POST", "/api/console/login",
               _json({"username": "客服01", "password": "密码"}), JSON, expect="refused")
    yield Case("claim/held-by-another", "console", "POST", "/api/console/conversations/{other}/claim", auth="agent",
               expect="refused")
    yield Case("messages/held-by-another", "console", "POST", "/api/console/conversations/{other}/messages",
               _json({"text": "您好"}), JSON, "agent", "refused")
    yield Case("handback/held-by-another", "console", "POST", "/api/console/conversations/{other}/handback",
               b"junk", JSON, "agent", "refused")
    yield Case("resolve/held-by-another", "console", "POST", "/api/console/conversations/{other}/resolve",
               _json({"anything": ["at", "all"]}), JSON, "agent", "refused")
    yield Case("messages/blank-text", "console", "POST", "/api/console/conversations/{held}/messages",
               _json({"text": "   "}), JSON, "agent")
    yield Case("messages/text-too-long", "console", "POST", "/api/console/conversations/{held}/messages",
               _json({"text": "字" * 2001}), JSON, "agent", "refused")
    yield Case("canned/title-too-long", "console", "POST", "/api/console/canned",
               _json({"title": "t" * 65, "text": "x"}), JSON, "agent", "refused")
    yield Case("metrics/days-huge-list", "console", "GET", "/api/console/metrics?days=1&days=2&days=" + "9" * 5000,
               auth="agent")
    yield Case("csrf/non-ascii", "console", "POST", "/api/console/conversations/{held}/notes", _json({"text": "x"}),
               JSON | {"X-CSRF-Token": "\xe9\xff"}, "agent-no-csrf", "refused")
    yield Case("cookie/huge", "console", "GET", "/api/console/queue", headers={"Cookie": "powerdesk_console=" + "a" * 8000},
               expect="refused")
    yield Case("cookie/non-ascii", "console", "GET", "/api/console/queue", headers={"Cookie": "powerdesk_console=\xe9\xff"},
               expect="refused")
    yield Case("bearer/non-ascii", "chat", "GET", "/api/chat/messages", headers={"Authorization": "Bearer \xe9\xff"},
               expect="refused")
    yield Case("bearer/huge", "chat", "GET", "/api/chat/messages", headers={"Authorization": "Bearer " + "a" * 8000},
               expect="refused")


def kb_cases() -> Iterator[Case]:
    queries = {f"q={k}": v for k, v in INJECTIONS.items()} | {
        "q=empty": "", "q=nul": "%00", "q=surrogate-bytes": "%ED%A0%80", "q=invalid-utf8": "%FF%FE",
        "q=emoji": "%F0%9F%98%80", "q=too-long": "a" * 5001, "q=max-length": "电" * 5000,
        "q=control": "%01%02%1B", "q=spaces": "%20%20%20", "q=percent": "%25%25",
    }
    for name, q in queries.items():
        text = q if name in {f"q={k}" for k in INJECTIONS} else None
        yield Case(name, "kb", "GET", "/api/kb/search?q=" + (_quote(text) if text is not None else q))
    for kind, value in NOT_INTS.items():
        yield Case(f"k={kind}", "kb", "GET", f"/api/kb/search?q=电价&k={value}")
    yield Case("k=too-big", "kb", "GET", "/api/kb/search?q=电价&k=21", expect="refused")
    yield Case("post", "kb", "POST", "/api/kb/search", _json({"q": "电价"}), JSON, expect="refused")


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


# -- WeChat -----------------------------------------------------------------------------------

def wechat_xml(fields: dict[str, str], openid: str = "{sender}", created: str = "{now}", msg_id: str | None = "{msgid}") -> bytes:
    """A message as WeChat posts it, from a follower of this case alone ({sender}); {now}
    and {msgid} are filled in when sent."""
    parts = [f"<ToUserName><![CDATA[gh_95598demo]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>",
             f"<CreateTime>{created}</CreateTime>"]
    parts += [f"<{k}>{v}</{k}>" for k, v in fields.items()]
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return ("<xml>" + "".join(parts) + "</xml>").encode()


def _cdata(text: str) -> str:
    """Text as WeChat would put it in its XML: CDATA, with any "]]>" split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wechat_text(content: str) -> bytes:
    return wechat_xml({"MsgType": "<![CDATA[text]]>", "Content": _cdata(content)})


def wechat_cases() -> Iterator[Case]:
    text = wechat_text("查电费")
    xml = {"Content-Type": "text/xml"}

    def post(name: str, body: bytes | None, auth: str = "signed", expect: str = "any", **extra: Any) -> Case:
        return Case(name, "wechat", "POST", "/wechat", body, extra.pop("headers", xml), auth, expect, **extra)

    # who may talk to the server URL
    for auth in ("unsigned", "forged", "stale", "bad-timestamp", "future", "huge-timestamp", "nan-timestamp",
                 "non-ascii-signature"):
        yield post(f"post/{auth}", text, auth, "refused")
        yield Case(f"get/{auth}", "wechat", "GET", "/wechat?echostr=12345", auth=auth, expect="refused")
    yield Case("get/signed", "wechat", "GET", "/wechat?echostr=12345", auth="signed", expect="accepted")
    for kind, value in INJECTIONS.items():
        yield Case(f"get/echostr={kind}", "wechat", "GET", "/wechat?echostr=" + _quote(value), auth="signed",
                   expect="accepted", check="wechat-echo", value=value)
    yield Case("get/echostr-huge", "wechat", "GET", "/wechat?echostr=" + "9" * 60_000, auth="signed")
    yield Case("get/no-token-config", "wechat", "GET", "/wechat", auth="unsigned", expect="refused")
    yield Case("put", "wechat", "PUT", "/wechat", text, xml, "signed", "refused")
    # bodies that are not a WeChat message
    yield post("body/empty", b"", expect="refused")
    yield post("body/whitespace", b"  \n\t ", expect="refused")
    yield post("body/binary", bytes(range(256)) * 4, expect="refused")
    yield post("body/invalid-utf8", b"<xml><Content>\xff\xfe</Content></xml>", expect="refused")
    yield post("body/not-xml", b"hello, world", expect="refused")
    yield post("body/json", _json({"MsgType": "text", "Content": "查电费"}), headers=JSON, expect="refused")
    yield post("body/unclosed", b"<xml><Content>unclosed", expect="refused")
    yield post("body/wrong-root", b"<other><MsgType>text</MsgType></other>", expect="refused")
    yield post("body/no-msgtype", wechat_xml({"Content": "<![CDATA[x]]>"}), expect="refused")
    yield post("body/no-sender", b"<xml><MsgType>text</MsgType><Content>x</Content><CreateTime>1</CreateTime></xml>",
               expect="refused")
    yield post("body/huge", wechat_text("电" * (2 * MB)), expect="refused")
    yield post("body/just-over-limit", wechat_text("a" * 64_000), expect="refused")
    yield post("body/nested", b"<xml>" + b"<a>" * DEEP + b"</a>" * DEEP + b"</xml>", expect="refused")
    yield post("dtd/external-entity", b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               + wechat_xml({"MsgType": "text", "Content": "&e;"}), expect="refused")
    yield post("dtd/billion-laughs", b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
               b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
               + wechat_xml({"MsgType": "text", "Content": "&c;"}), expect="refused")
    yield post("dtd/parameter-entity", b'<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>' + text,
               expect="refused")
    yield post("dtd/doctype-only", b"<!DOCTYPE xml>" + text, expect="refused")
    yield post("xml/undefined-entity", wechat_xml({"MsgType": "text", "Content": "&nope;"}), expect="refused")
    yield post("xml/nul-reference", wechat_xml({"MsgType": "text", "Content": "a&#0;b"}), expect="refused")
    yield post("xml/surrogate-reference", wechat_xml({"MsgType": "text", "Content": "a&#xD800;b"}), expect="refused")
    yield post("xml/processing-instruction", b'<?xml-stylesheet href="http://127.0.0.1:9/x"?>' + text)
    yield post("xml/xinclude", wechat_xml({"MsgType": "text", "Content": '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd"/>'}))
    yield post("xml/utf16-declared", b'<?xml version="1.0" encoding="UTF-16"?>' + text)
    # fields of the wrong kind
    yield post("field/createtime-word", wechat_xml({"MsgType": "text", "Content": "x"}, created="yesterday"), expect="refused")
    yield post("field/createtime-huge", wechat_xml({"MsgType": "text", "Content": "x"}, created="9" * 40), expect="refused")
    yield post("field/createtime-negative", wechat_xml({"MsgType": "text", "Content": "x"}, created="-1"))
    yield post("field/msgid-word", wechat_xml({"MsgType": "text", "Content": "x"}, msg_id="abc"), expect="refused")
    yield post("field/msgid-huge", wechat_xml({"MsgType": "text", "Content": "x"}, msg_id="9" * 400), expect="refused")
    yield post("field/msgid-negative", wechat_xml({"MsgType": "text", "Content": "x"}, msg_id="-5"), expect="refused")
    yield post("field/openid-long", wechat_xml({"MsgType": "text", "Content": "x"}, openid="o" * 5000), expect="refused")
    yield post("field/openid-cdata-break", wechat_xml({"MsgType": "text", "Content": "x"}, openid="o]]><a>1</a><![CDATA["),
               expect="refused")
    yield post("field/openid-sql", wechat_xml({"MsgType": "text", "Content": "x"}, openid="o' OR '1'='1"), expect="refused")
    yield post("field/openid-element", wechat_xml({"MsgType": "text", "Content": "x"}).replace(
        b"<FromUserName><![CDATA[{sender}]]></FromUserName>", b"<FromUserName><a>x</a></FromUserName>"), expect="refused")
    yield post("field/content-element", wechat_xml({"MsgType": "text", "Content": "<b>bold</b>"}), expect="refused")
    twice = wechat_xml({"MsgType": "text", "Content": "a"}).replace(b"</xml>", b"<Content>b</Content></xml>")
    yield post("field/content-twice", twice, expect="refused")
    yield post("field/openid-empty", wechat_xml({"MsgType": "text", "Content": "x"}, openid=""), expect="refused")
    yield post("field/content-empty", wechat_xml({"MsgType": "text", "Content": ""}))
    yield post("field/unknown-msgtype", wechat_xml({"MsgType": "hologram"}))
    for kind, lat in (("word", "north"), ("nan", "NaN"), ("infinity", "inf"), ("1e308", "1e308"), ("huge", "9" * 400),
                      ("empty", "")):
        yield post(f"location/lat={kind}", wechat_xml({"MsgType": "location", "Location_X": lat, "Location_Y": "120.1",
                                                        "Scale": "15", "Label": "示例市"}))
    yield post("location/scale-word", wechat_xml({"MsgType": "location", "Location_X": "30.2", "Location_Y": "120.1",
                                                  "Scale": "far", "Label": "示例市"}))
    yield post("event/click-unknown-key", wechat_xml({"MsgType": "event", "Event": "CLICK", "EventKey": "NOPE"}, msg_id=None))
    yield post("event/unknown", wechat_xml({"MsgType": "event", "Event": "TELEPORT"}, msg_id=None))
    yield post("event/no-event", wechat_xml({"MsgType": "event"}, msg_id=None))
    yield post("voice/no-recognition", wechat_xml({"MsgType": "voice", "MediaId": "m1", "Format": "amr"}))
    yield post("image/no-url", wechat_xml({"MsgType": "image", "MediaId": "m1"}))
    # injection in every field a follower controls
    for kind, value in INJECTIONS.items():
        yield post(f"text={kind}", wechat_text(value), expect="accepted", check="wechat-text", value=value)
        yield post(f"location-label={kind}", wechat_xml({"MsgType": "location", "Location_X": "30.2", "Location_Y": "120.1",
                                                          "Scale": "15", "Label": _cdata(value)}),
                   expect="accepted", check="wechat-reply", value=value)
        yield post(f"voice-recognition={kind}", wechat_xml({"MsgType": "voice", "MediaId": "m1", "Format": "amr",
                                                             "Recognition": _cdata(value)}),
                   expect="accepted", check="wechat-text", value=value)
        yield post(f"click-key={kind}", wechat_xml({"MsgType": "event", "Event": "CLICK", "EventKey": _cdata(value)},
                                                    msg_id=None), expect="accepted")
        yield post(f"image-url={kind}", wechat_xml({"MsgType": "image", "PicUrl": _cdata(value), "MediaId": "m1"}),
                   expect="accepted")
        yield post(f"safe-mode-text={kind}", wechat_text(value), "sealed", "accepted", app="safe", check="wechat-text",
                   value=value)
    # replays
    # replays: the same delivery again (the signature fresh: WeChat's retry, or a replay of a captured one)
    yield post("replay/same-msgid", wechat_xml({"MsgType": "text", "Content": "查电费"}, msg_id="7000000000000000001"),
               replay=True)
    yield post("replay/same-event", wechat_xml({"MsgType": "event", "Event": "subscribe"}, created="1790000000",
                                               msg_id=None), replay=True)
    # safe mode
    yield post("safe/plaintext-body", text, "signed", "refused", app="safe")
    yield post("safe/forged-message-signature", text, "sealed-forged", "refused", app="safe")
    yield post("safe/not-base64", b"<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[%%%not base64%%%]]></Encrypt></xml>",
               "signed-safe", "refused", app="safe")
    yield post("safe/short-ciphertext", b"<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>",
               "signed-safe", "refused", app="safe")
    yield post("safe/garbage-ciphertext", b"<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[" + b"QUJD" * 64
               + b"]]></Encrypt></xml>", "signed-safe", "refused", app="safe")
    yield post("safe/empty-encrypt", b"<xml><ToUserName>gh</ToUserName><Encrypt></Encrypt></xml>", "signed-safe",
               "refused", app="safe")
    yield post("safe/sealed-not-xml", b"plain words, sealed", "sealed", "refused", app="safe")
    yield post("safe/sealed-dtd", b'<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               + wechat_xml({"MsgType": "text", "Content": "&e;"}), "sealed", "refused", app="safe")


# -- the voice line (jambonz) -------------------------------------------------------------------

CALL = {"call_sid": "{sender}", "account_sid": "AC0001", "application_sid": "AP0001", "direction": "inbound",
        "from": "+8613800138000", "to": "95598", "call_id": "robust@sbc", "call_status": "in-progress"}
GATHER_SPEECH = CALL | {"reason": "speechDetected",
                        "speech": {"language_code": "zh-CN", "is_final": True,
                                   "alternatives": [{"transcript": "查电费", "confidence": 0.95}]}}
GATHER_DTMF = CALL | {"reason": "dtmfDetected", "digits": "1"}
STATUS = CALL | {"call_status": "completed", "call_termination_by": "caller", "duration": 95}

VOICE_ROUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("call", "/ivr/jambonz/call", CALL | {"caller_name": "", "caller_id": "+8613800138000"}),
    ("gather-speech", "/ivr/jambonz/gather?step=talk", GATHER_SPEECH),
    ("gather-dtmf", "/ivr/jambonz/gather?step=talk", GATHER_DTMF),
    ("status", "/ivr/jambonz/status", STATUS),
]


def voice_cases() -> Iterator[Case]:
    for name, path, base in VOICE_ROUTES:
        def post(kind: str, body: bytes, auth: str = "signed", expect: str = "refused", name: str = name, path: str = path,
                 **extra: Any) -> Case:
            return Case(f"{name}/{kind}", "voice", "POST", path, body, extra.pop("headers", JSON), auth, expect, **extra)

        for auth in ("unsigned", "forged", "stale", "malformed-signature", "non-ascii-signature", "future"):
            yield post(auth, _json(base), auth)
        if name in ("call", "gather-speech"):  # the other two read their body the same way
            yield post("empty-body", b"")
            yield post("binary", bytes(range(256)) * 4)
            yield post("invalid-utf8", b'{"call_sid": "CA\xff\xfe"}')
            yield post("not-json", b'{"call_sid": ')
            yield post("nested-list", nested_list().encode())
            yield post("nested-object", nested_object().encode())
            yield post("top-level-list", b"[]")
            yield post("huge-body", with_raw(base, ("padding",), json.dumps("x" * 3 * MB)))
            yield post("huge-declared-length", _json(base), headers=JSON | {"Content-Length": str(10**12)})
            yield post("text-plain", _json(base), expect="any", headers={"Content-Type": "text/plain"})
            yield post("form-encoded", b"call_sid=CA1&from=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
            yield post("call-sid-too-long", with_raw(base, ("call_sid",), json.dumps("C" * 129)))
        typed_fields: dict[str, list[tuple[str, ...]]] = {
            "call": [("call_sid",), ("from",)], "gather-speech": [("speech",), ("speech", "alternatives"), ("reason",)],
            "gather-dtmf": [("digits",)], "status": [("call_status",), ("duration",)],
        }
        typed = typed_fields[name]
        for field_path in typed:
            for kind, raw in wrong_values(_at(base, field_path)).items():
                yield post(f"{'.'.join(field_path)}={kind}", with_raw(base, field_path, raw), expect="any")
        if name == "gather-speech":
            for kind, raw in (("confidence-nan", "NaN"), ("confidence-huge", "1e308"), ("confidence-word", '"high"')):
                alternatives = '[{"transcript": "查电费", "confidence": ' + raw + "}]"
                yield post(kind, with_raw(base, ("speech", "alternatives"), alternatives), expect="any")
            many = json.dumps([{"transcript": "电费" * 50, "confidence": 0.9}] * 2000)
            yield post("alternatives-many", with_raw(base, ("speech", "alternatives"), many), expect="any")
            for kind, value in INJECTIONS.items():
                alternatives = json.dumps([{"transcript": value, "confidence": 0.95}])
                yield post(f"transcript={kind}", with_raw(base, ("speech", "alternatives"), alternatives),
                           expect="accepted", check="voice-text", value=value)
        for kind, value in INJECTIONS.items():
            if name == "call":
                yield post(f"from={kind}", with_raw(base, ("from",), json.dumps(value)), expect="any")
    # the call's state in the hook URL, as nobody wrote it
    states = {
        "step-unknown": "step=teleport", "tries-huge": "step=talk&tries=" + "9" * 30, "tries-negative": "step=talk&tries=-5",
        "after-huge": "step=talk&after=" + "9" * 30, "after-int64": f"step=talk&after={2**63}",
        "after-word": "step=talk&after=abc", "more-huge": "step=talk&more=" + "9" * 30, "more-negative": "step=talk&more=-1",
        "kind-unknown": "step=number&kind=passport", "confirm-sql": "step=confirm&kind=account&n=1%27%20OR%201=1",
        "confirm-script": "step=confirm&kind=account&n=%3Cscript%3E", "confirm-huge": "step=confirm&kind=account&n=" + "1" * 5000,
        "step-wait": "step=wait", "step-queue": "step=queue", "step-dial": "step=dial", "repeated": "step=talk&step=confirm",
        "nul": "step=talk%00&tries=%00", "invalid-utf8": "step=%FF%FE",
    }
    for name, query in states.items():
        yield Case(f"hook-state/{name}", "voice", "POST", f"/ivr/jambonz/gather?{query}", _json(GATHER_DTMF), JSON,
                   "signed", "any")
    yield Case("get-call", "voice", "GET", "/ivr/jambonz/call", auth="signed", expect="refused")


# -- the core's other routes --------------------------------------------------------------------

ACCOUNT_ROUTES = [
    "/api/accounts/{a}", "/api/accounts/{a}/prepaid", "/api/accounts/{a}/tou-advice", "/api/accounts/{a}/bills",
    "/api/accounts/{a}/bill", "/api/accounts/{a}/bill/explanation", "/api/accounts/{a}/arrears",
    "/api/accounts/{a}/usage", "/api/accounts/{a}/payments", "/api/accounts/{a}/payments/diagnosis",
    "/api/accounts/{a}/outage-diagnosis", "/api/accounts/{a}/work-orders",
]
BAD_ACCOUNTS = {
    "word": "abc", "short": "330001234", "long": "3" * 1000, "negative": "-3300012345", "fullwidth": "３３００３１２３４５",
    "arabic-indic": "٣٣٠٠٠١٢٣٤٥", "sql": "3300012345%27%20OR%20%271%27=%271", "nul": "3300012345%00",
    "script": "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "spaces": "%203300012345%20", "missing": "3300099999",
    "float": "3300012345.0",
}
CORE_GETS = [
    "/api/facts/service", "/api/facts/tariffs", "/api/billing/late-fee?amount=200&customer_class=residential&days_late=3",
    "/api/billing/energy-cost?kwh=420", "/api/billing/demand-charge?max_demand_kw=400",
    "/api/calendar/working-day?day=2026-10-10", "/api/calendar/add-working-days?start=2026-09-30&days=5",
    "/api/outages?account_no=3300012347", "/api/work-orders/GD202611200001",
    "/api/identity/verified?account_no=3300012345&session_id=s1",
] + [r.replace("{a}", "3300012345") for r in ACCOUNT_ROUTES]


def core_cases() -> Iterator[Case]:
    for route in CORE_ROUTES:
        yield from json_route_cases(route)
    for path in CORE_GETS:
        name = path.split("?")[0].removeprefix("/api/").replace("/", "-")
        kinds = ("none", "wrong-token", "not-bearer", "non-ascii-token") if path == CORE_GETS[0] else ("none", "wrong-token")
        for auth in kinds:
            yield Case(f"{name}/{auth}", "core", "GET", path, auth=auth, expect="refused")
    for route in CORE_ROUTES:
        if route.auth == "token":
            for auth in ("none", "wrong-token"):
                yield Case(f"{route.name}/{auth}", "core", route.method, route.path, _json(route.base),
                           JSON | route.headers, auth, "refused")
    for account_route in ACCOUNT_ROUTES:
        name = account_route.removeprefix("/api/accounts/{a}").strip("/").replace("/", "-") or "summary"
        for kind, account in BAD_ACCOUNTS.items():
            if name != "summary" and kind not in ("word", "sql", "nul", "long"):
                continue  # every route looks the 户号 up the same way; the summary gets every kind
            yield Case(f"account-{name}/{kind}", "core", "GET", account_route.replace("{a}", account), auth="token",
                       expect="any" if kind == "spaces" else "refused")  # the core strips spaces around a 户号
    queries = {
        "bills/limit": ("/api/accounts/3300012345/bills?limit=", NOT_INTS),
        "payments/limit": ("/api/accounts/3300012345/payments?limit=", NOT_INTS),
        "work-orders/limit": ("/api/accounts/3300012345/work-orders?limit=", NOT_INTS),
        "outages/days-ahead": ("/api/outages?account_no=3300012347&days_ahead=", NOT_INTS),
        "bill/period": ("/api/accounts/3300012345/bill?period=", {"word": "abc", "month-13": "2026-13", "huge-year": "99999-01",
                                                                    "nul": "2026-10%00", "sql": "2026-10%27--"}),
        "arrears/as-of": ("/api/accounts/3300012345/arrears?as_of=", {"word": "abc", "huge-year": "99999-01-01",
                                                                       "nan": "NaN", "sql": "2026-10-01%27--", "nul": "%00"}),
        "usage/start": ("/api/accounts/3300012345/usage?start=", {"word": "abc", "huge": "9" * 40, "month-0": "2026-00",
                                                                   "nul": "%00", "sql": "2026-01%27--"}),
        "calendar/day": ("/api/calendar/working-day?day=", {"word": "abc", "huge-year": "99999-01-01", "nan": "NaN",
                                                            "year-0": "0000-01-01", "nul": "%00"}),
        "calendar/days": ("/api/calendar/add-working-days?start=2026-09-30&days=", NOT_INTS),
        "late-fee/amount": ("/api/billing/late-fee?customer_class=residential&days_late=3&amount=",
                            {"nan": "NaN", "inf": "Infinity", "1e308": "1e308", "huge": "9" * 400, "word": "abc", "nul": "%00"}),
        "energy-cost/kwh": ("/api/billing/energy-cost?kwh=", {"nan": "NaN", "-inf": "-Infinity", "1e308": "1e308",
                                                              "-1e308": "-1e308", "huge": "9" * 4000, "nul": "%00"}),
        "demand-charge/kw": ("/api/billing/demand-charge?max_demand_kw=", {"nan": "NaN", "1e308": "1e308", "-1": "-1",
                                                                          "huge": "9" * 4000, "hex": "0x10"}),
        "work-order/ticket": ("/api/work-orders/", {"word": "abc", "huge": "GD" + "9" * 400, "sql": "GD1%27%20OR%201=1",
                                                     "nul": "GD%00", "script": "%3Cscript%3E", "missing": "GD209901010001"}),
        "identity-verified/session": ("/api/identity/verified?account_no=3300012345&session_id=",
                                      {"empty": "", "huge": "s" * 5000, "nul": "%00", "sql": "%27%20OR%20%271%27=%271"}),
    }
    for name, (prefix, values) in queries.items():
        for kind, value in values.items():
            yield Case(f"{name}={kind}", "core", "GET", prefix + value, auth="token")
    for kind, value in INJECTIONS.items():
        yield Case(f"outages/address={kind}", "core", "GET", "/api/outages?address=" + _quote(value), auth="token",
                   check="core-outages")
        yield Case(f"outages/account={kind}", "core", "GET", "/api/outages?account_no=" + _quote(value), auth="token",
                   expect="refused")
    yield Case("outages/address-huge", "core", "GET", "/api/outages?address=" + "路" * 5000, auth="token")
    yield Case("outages/address-nul", "core", "GET", "/api/outages?address=%00", auth="token")
    yield Case("outages/address-percent", "core", "GET", "/api/outages?address=%25%25", auth="token",
               check="core-outages")
    yield Case("outages/address-underscore", "core", "GET", "/api/outages?address=_", auth="token", check="core-outages")
    yield Case("payment/no-idempotency-key", "core", "POST", "/api/accounts/3300012349/payments",
               _json({"amount": "1.00", "channel": "wechat"}), JSON, "token", "refused")
    yield Case("payment/huge-idempotency-key", "core", "POST", "/api/accounts/3300012349/payments",
               _json({"amount": "1.00", "channel": "wechat"}), JSON | {"Idempotency-Key": "k" * 5000}, "token")
    yield Case("payment/non-ascii-idempotency-key", "core", "POST", "/api/accounts/3300012349/payments",
               _json({"amount": "1.00", "channel": "wechat"}), JSON | {"Idempotency-Key": "\xe9\xff"}, "token")
    yield Case("payment/amount-huge-string", "core", "POST", "/api/accounts/3300012349/payments",
               _json({"amount": "9" * 5000, "channel": "wechat"}), JSON | {"Idempotency-Key": "robust-{sender}"}, "token",
               "refused")
    yield Case("payment/amount-exponent", "core", "POST", "/api/accounts/3300012349/payments",
               _json({"amount": "1e400", "channel": "wechat"}), JSON | {"Idempotency-Key": "robust-{sender}"}, "token",
               "refused")
    yield Case("payment/paid-at-word", "core", "POST", "/api/accounts/3300012349/payments",
               _json({"amount": "1.00", "channel": "wechat", "paid_at": "yesterday"}),
               JSON | {"Idempotency-Key": "robust-{sender}"}, "token", "refused")
    yield Case("payment/bad-account", "core", "POST", "/api/accounts/abc/payments",
               _json({"amount": "1.00", "channel": "wechat"}), JSON | {"Idempotency-Key": "robust-{sender}"}, "token",
               "refused")
    yield Case("work-order/fields-many", "core", "POST", "/api/work-orders",
               _json({"type": "complain", "fields": {f"k{i}": "v" * 100 for i in range(2000)},
                      "contact_phone": "13800138000"}), JSON | {"Idempotency-Key": "robust-{sender}"}, "token")
    yield Case("work-order/fields-key-injection", "core", "POST", "/api/work-orders",
               _json({"type": "complain", "fields": {"'; DROP TABLE work_orders; --": "x", "description": "态度不好"},
                      "contact_phone": "13800138000"}), JSON | {"Idempotency-Key": "robust-{sender}"}, "token")
    yield Case("no-such-route", "core", "GET", "/api/nothing/here", auth="token", expect="refused")
    yield Case("method-not-allowed", "core", "DELETE", "/api/accounts/3300012345", auth="token", expect="refused")
    yield Case("quote-get", "core", "GET", "/api/billing/quote", expect="refused")


def build() -> list[Case]:
    cases: list[Case] = []
    for route in HUB_ROUTES:
        cases += json_route_cases(route)
    cases += hub_path_cases()
    cases += hub_auth_cases()
    cases += hub_misc_cases()
    cases += kb_cases()
    cases += wechat_cases()
    cases += voice_cases()
    cases += core_cases()
    ids = Counter(c.test_id for c in cases)
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, duplicates
    return cases


CASES = build()
SURFACES = ("rest", "chat", "console", "kb", "wechat", "voice", "core")


def by_surface(*surfaces: str) -> list[Case]:
    return [c for c in CASES if c.surface in surfaces]


def counts() -> dict[str, int]:
    return {s: len(by_surface(s)) for s in SURFACES}


if __name__ == "__main__":  # python -m tests.robustness.corpus: the corpus's size per surface
    for surface, n in counts().items():
        print(f"{surface:8} {n}")
    print(f"{'total':8} {len(CASES)}")
