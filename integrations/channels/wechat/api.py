"""WeChat's server API as the hub uses it: customer-service (客服) messages, template
messages and the menu.

wechatpy's client does the HTTP, keeps the access token and fetches a new one before
it expires and when WeChat answers 40001/40014/42001. Around it: retries with backoff
for what is worth retrying, a clear log line for each error code an operator may meet,
and the API's base URL from the settings (tests and a proxy point it elsewhere).
The calls are blocking (requests); async callers run them in a thread.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import requests
from redis import Redis
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from integrations.core.config import HubSettings

log = logging.getLogger(__name__)

# What an operator should read for the codes this hub can meet (WeChat's global return codes).
ERRORS = {
    -1: "WeChat is busy; retried",
    40001: "access token refused even after fetching a new one: check WECHAT_APP_SECRET",
    40003: "the openid does not belong to this official account",
    40013: "WECHAT_APP_ID is not a valid AppID",
    40125: "WECHAT_APP_SECRET is not valid for this AppID",
    40164: "this server's IP is not on the official account's IP whitelist",
    42001: "access token expired even after fetching a new one",
    43004: "the follower has unsubscribed",
    45009: "the daily API quota is used up",
    45015: "outside the 48-hour window: the follower has not written for 48 hours",
    45047: "WeChat's per-follower limit of customer-service messages is reached",
    48001: "the official account lacks the permission for this API",
}
# Worth another try: WeChat busy, or no answer at all (network, HTTP 5xx).
RETRYABLE = frozenset({-1, None})
BACKOFF_S = (0.5, 1.0, 2.0)
NO_ANSWER = -2  # our code for "the API never answered"


class ApiClient(WeChatClient):
    """wechatpy's client with every endpoint, the token one included, under one base URL."""

    def __init__(self, settings: HubSettings) -> None:
        # Replicas share one access token: each fetch of a new one revokes the previous.
        session = RedisStorage(Redis.from_url(settings.redis_url), prefix="hub:wechatpy") if settings.redis_url else None
        super().__init__(settings.wechat_app_id, settings.wechat_app_secret, session=session,
                         timeout=settings.wechat_api_timeout_s)
        self.API_BASE_URL = settings.wechat_api_base_url.rstrip("/") + "/"

    def fetch_access_token(self) -> dict[str, Any]:
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class WeChatApi:
    def __init__(self, settings: HubSettings, client: ApiClient | None = None, sleep: Any = time.sleep) -> None:
        self._client = client or ApiClient(settings)
        self._sleep = sleep

    def send_text(self, openid: str, text: str) -> int:
        """Send a customer-service text message; WeChat's errcode (0 = delivered)."""
        return self._call("custom message", self._client.message.send_text, openid, text)

    def send_template(self, openid: str, template_id: str, data: dict[str, Any], url: str | None = None) -> int:
        """Send a template message (the proactive notices: outages, arrears); WeChat's errcode."""
        return self._call("template message", self._client.message.send_template, openid, template_id, data, url)

    def create_menu(self, menu: dict[str, Any]) -> int:
        return self._call("menu", self._client.menu.create, menu)

    def _call(self, what: str, method: Any, *args: Any) -> int:
        attempt = 0
        while True:
            attempt += 1
            try:
                method(*args)
                return 0
            except WeChatClientException as exc:
                code = exc.errcode
            except requests.RequestException as exc:
                log.warning("wechat %s: no answer from the API (%s)", what, type(exc).__name__)
                code = None
            if code in RETRYABLE and attempt <= len(BACKOFF_S):
                self._sleep(BACKOFF_S[attempt - 1])
                continue
            meaning = ERRORS.get(code, "see WeChat's global return codes") if code is not None else "no answer"
            log.error("wechat %s failed after %d attempt(s): errcode %s, %s", what, attempt, code, meaning)
            return NO_ANSWER if code is None else code
