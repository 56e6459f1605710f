"""WeChat's API client against the stand-in: tokens kept and renewed, retries, error
codes in the log, template messages, and the menu CLI."""

from __future__ import annotations

import logging

import pytest

from integrations.channels.wechat import menu
from integrations.channels.wechat.api import WeChatApi
from integrations.core.config import HubSettings
from scripts.wechat_sim import APP_ID, APP_SECRET

OPENID = "oFollower0003"


@pytest.fixture
def fresh_api(wechat_api):
    """The stand-in with no tokens issued and nothing recorded."""
    stand_in, url = wechat_api
    stand_in.custom.clear()
    stand_in.refused.clear()
    stand_in.issued = 0
    stand_in.tokens.clear()
    yield stand_in, url
    stand_in.expires_in = 7200


@pytest.fixture
def api(fresh_api):
    stand_in, url = fresh_api
    pauses: list[float] = []
    settings = HubSettings(wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET, wechat_api_base_url=url)
    return WeChatApi(settings, sleep=pauses.append), stand_in, pauses


def test_the_token_is_fetched_once_and_reused(api) -> None:
    client, stand_in, _ = api
    assert client.send_text(OPENID, "一") == 0 and client.send_text(OPENID, "二") == 0
    assert stand_in.issued == 1 and stand_in.texts_to(OPENID) == ["一", "二"]


def test_an_expired_token_is_renewed_and_the_message_still_goes(api) -> None:
    client, stand_in, _ = api
    client.send_text(OPENID, "一")
    stand_in.expire_tokens()  # WeChat expired it early (42001)
    assert client.send_text(OPENID, "二") == 0
    assert stand_in.refused == [42001] and stand_in.issued == 2
    assert stand_in.texts_to(OPENID) == ["一", "二"]


def test_a_token_near_its_expiry_is_renewed_before_use(fresh_api) -> None:
    stand_in, url = fresh_api
    stand_in.expires_in = 30  # less than the client's one-minute margin
    client = WeChatApi(HubSettings(wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET, wechat_api_base_url=url))
    client.send_text(OPENID, "一")
    client.send_text(OPENID, "二")
    assert stand_in.issued == 2 and stand_in.refused == []


def test_a_busy_wechat_is_retried_with_backoff(api) -> None:
    client, stand_in, pauses = api
    stand_in.busy = 2
    assert client.send_text(OPENID, "一") == 0
    assert pauses == [0.5, 1.0] and stand_in.texts_to(OPENID) == ["一"]


def test_an_unreachable_api_is_retried_then_logged(caplog: pytest.LogCaptureFixture) -> None:
    pauses: list[float] = []
    settings = HubSettings(wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET,
                           wechat_api_base_url="http://127.0.0.1:9/cgi-bin/", wechat_api_timeout_s=0.5)
    with caplog.at_level(logging.ERROR):
        code = WeChatApi(settings, sleep=pauses.append).send_text(OPENID, "一")
    assert code == -2 and pauses == [0.5, 1.0, 2.0]
    assert "failed after 4 attempt(s)" in caplog.text


def test_a_wrong_secret_is_named_in_the_log(fresh_api, caplog: pytest.LogCaptureFixture) -> None:
    _, url = fresh_api
    settings = HubSettings(wechat_app_id=APP_ID, wechat_app_secret="wrong", wechat_api_base_url=url)
    with caplog.at_level(logging.ERROR):
        assert WeChatApi(settings, sleep=lambda s: None).send_text(OPENID, "一") == 40125
    assert "WECHAT_APP_SECRET is not valid" in caplog.text


def test_template_messages_for_proactive_notices(api) -> None:
    client, stand_in, _ = api
    data = {"first": {"value": "您所在区域计划停电"}, "keyword1": {"value": "2026年12月5日 08:00-12:00"}}
    assert client.send_template(OPENID, "TPL-OUTAGE", data) == 0
    assert stand_in.templates[-1] == {"touser": OPENID, "template_id": "TPL-OUTAGE", "data": data}


def test_the_menu_cli_creates_the_menu_with_the_four_services(fresh_api, monkeypatch) -> None:
    stand_in, url = fresh_api
    monkeypatch.setenv("WECHAT_APP_ID", APP_ID)
    monkeypatch.setenv("WECHAT_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("WECHAT_API_BASE_URL", url)
    from integrations.core.config import get_settings

    get_settings.cache_clear()
    try:
        assert menu.main([]) == 0
    finally:
        get_settings.cache_clear()
    created = stand_in.menus[-1]
    names = [b["name"] for top in created["button"] for b in top.get("sub_button", [top])]
    assert {"查电费", "停电查询", "业务办理", "转人工"} <= set(names)
    assert "says" not in str(created)  # our own field stays ours
    assert all(menu.says(b["key"]) for top in created["button"] for b in top.get("sub_button", [top]) if "key" in b)
