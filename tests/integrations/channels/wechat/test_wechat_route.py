"""The official account's server URL, as WeChat uses it: server check, messages and
events in plaintext and safe mode, the 5-second rule, retries, and every way a request
can be wrong."""

from __future__ import annotations

import concurrent.futures
import time

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from wechatpy.crypto import WeChatCrypto

from integrations.channels.wechat.inbound import UNHEARD, WELCOME
from integrations.models import Conversation, Message
from scripts.wechat_sim import APP_ID, TOKEN, WeChatServer

OPENID = "oFollower0001"


def stored_messages(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Message)).scalar_one()
    finally:
        engine.dispose()


def test_server_check_echoes_only_for_wechat(wechat_hub) -> None:
    hub = wechat_hub()
    query = WeChatServer.signed_query() | {"echostr": "1234567890"}
    assert httpx.get(hub.wechat.url, params=query).text == "1234567890"
    forged = query | {"signature": "0" * 40}
    assert httpx.get(hub.wechat.url, params=forged).status_code == 403


@pytest.mark.parametrize("safe", [False, True], ids=["plaintext", "safe-mode"])
def test_a_text_message_gets_the_bots_reply_within_the_request(wechat_hub, safe: bool) -> None:
    hub = wechat_hub(lambda body: [{"text": "您好，请问有什么可以帮您？"}], safe=safe)
    response = hub.wechat.text(OPENID, "你好")
    assert hub.wechat.reply_text(response) == "您好，请问有什么可以帮您？"
    (seen,) = hub.rasa.seen
    assert seen["sender"] == f"wechat:{OPENID}" and seen["message"] == "你好"
    assert seen["metadata"] == {"channel": "wechat"}
    assert hub.api.custom == []


def test_a_slow_reply_goes_out_as_a_customer_service_message(wechat_hub) -> None:
    hub = wechat_hub(lambda body: [{"text": "您上月电费128.50元。"}], bot_delay_s=1.0, wechat_reply_budget_s=0.3)
    started = time.monotonic()
    response = hub.wechat.text(OPENID, "上个月电费多少")
    assert hub.wechat.reply_text(response) is None  # "success" at once
    assert time.monotonic() - started < 0.9
    hub.settle()
    assert hub.api.texts_to(OPENID) == ["您上月电费128.50元。"]


def test_three_concurrent_retries_are_answered_once(wechat_hub) -> None:
    hub = wechat_hub(lambda body: [{"text": "已为您查询。"}], bot_delay_s=0.5)
    xml = hub.wechat.xml(OPENID, "text", {"Content": "查电费"}, msg_id=hub.wechat.msg_id())
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        responses = list(pool.map(lambda _: hub.wechat.post_xml(xml), range(3)))
    hub.settle()
    replies = [hub.wechat.reply_text(r) for r in responses]
    assert len(hub.rasa.seen) == 1
    passive = [r for r in replies if r is not None]
    assert passive + hub.api.texts_to(OPENID) == ["已为您查询。"]


def test_a_retried_event_is_processed_once(wechat_hub) -> None:
    hub = wechat_hub()
    created = int(time.time())
    xml = hub.wechat.xml(OPENID, "event", {"Event": "CLICK", "EventKey": "QUERY_BILL"}, created=created)
    first, again = hub.wechat.post_xml(xml), hub.wechat.post_xml(xml)
    assert hub.wechat.reply_text(first) == "好的" and hub.wechat.reply_text(again) is None
    assert len(hub.rasa.seen) == 1


@pytest.mark.parametrize("change", ["signature", "stale", "missing"])
def test_a_request_not_signed_by_wechat_is_refused_and_nothing_is_stored(
    wechat_hub, hub_database: str, change: str
) -> None:
    hub = wechat_hub()
    query = WeChatServer.signed_query()
    if change == "signature":
        query["signature"] = "f" * 40
    elif change == "stale":  # a captured request replayed ten minutes later
        query = WeChatServer.signed_query(int(time.time()) - 600)
    else:
        query = {}
    response = hub.wechat.post_xml(hub.wechat.xml(OPENID, "text", {"Content": "查电费"}), query=query)
    assert response.status_code == 403
    assert "Traceback" not in response.text
    assert hub.rasa.seen == [] and stored_messages(hub_database) == 0


def test_safe_mode_refuses_a_body_sealed_with_another_key(wechat_hub) -> None:
    hub = wechat_hub(safe=True)
    other = WeChatServer(hub.wechat.url, safe=True)
    other.crypto = WeChatCrypto(TOKEN, "Z" * 43, APP_ID)
    response = other.post_xml(other.xml(OPENID, "text", {"Content": "查电费"}))
    assert response.status_code in (400, 403)
    assert hub.rasa.seen == []


@pytest.mark.parametrize("body", [
    pytest.param(b"", id="empty"),
    pytest.param(b"<xml><Content>unclosed", id="broken"),
    pytest.param(b"\xff\xfe<xml></xml>", id="not-utf8"),
    pytest.param(b"<xml><Content>" + b"a" * 200_000 + b"</Content></xml>", id="huge"),
    pytest.param(b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                 b"<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
                 b"<MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>", id="external-entity"),
    pytest.param(b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                 b"<xml><Content>&b;</Content></xml>", id="entity-expansion"),
    pytest.param(b"<xml><FromUserName>x</FromUserName></xml>", id="no-msgtype"),
    pytest.param(b"<other><MsgType>text</MsgType></other>", id="wrong-root"),
])
def test_malformed_or_dangerous_xml_is_a_bad_request(wechat_hub, hub_database: str, body: bytes) -> None:
    hub = wechat_hub()
    response = httpx.post(hub.wechat.url, params=WeChatServer.signed_query(), content=body)
    assert response.status_code == 400
    assert "Traceback" not in response.text and "passwd" not in response.text
    assert hub.rasa.seen == [] and stored_messages(hub_database) == 0


@pytest.mark.parametrize("event", ["VIEW", "TEMPLATESENDJOBFINISH", "some_future_event"])
def test_events_with_nothing_to_say_get_success(wechat_hub, event: str) -> None:
    hub = wechat_hub()
    response = hub.wechat.event(OPENID, event, "https://www.sgcc.com.cn/")
    assert response.status_code == 200 and response.text == "success"
    assert hub.rasa.seen == []


@pytest.mark.parametrize(("key", "says"), [
    ("QUERY_BILL", "查电费"), ("OUTAGE", "最近有没有停电"), ("SERVICES", "我要办理用电业务"), ("HUMAN", "转人工"),
])
def test_a_menu_click_reaches_the_bot_as_the_customers_words(wechat_hub, key: str, says: str) -> None:
    hub = wechat_hub(lambda body: [{"text": f"收到：{body['message']}"}])
    assert hub.wechat.reply_text(hub.wechat.event(OPENID, "CLICK", key)) == f"收到：{says}"


def test_following_gets_the_welcome(wechat_hub) -> None:
    hub = wechat_hub()
    welcome = hub.wechat.reply_text(hub.wechat.event(OPENID, "subscribe"))
    assert welcome == WELCOME and "绑定户号" in welcome
    assert hub.rasa.seen == []


def test_voice_uses_wechats_recognition_or_asks_to_type(wechat_hub) -> None:
    hub = wechat_hub(lambda body: [{"text": f"收到：{body['message']}"}])
    heard = hub.wechat.send(OPENID, "voice", {"MediaId": "m1", "Format": "amr", "Recognition": "我家停电了"})
    assert hub.wechat.reply_text(heard) == "收到：我家停电了"
    unheard = hub.wechat.send(OPENID, "voice", {"MediaId": "m2", "Format": "amr", "Recognition": ""})
    assert hub.wechat.reply_text(unheard) == UNHEARD
    assert [s["message"] for s in hub.rasa.seen] == ["我家停电了"]


def test_buttons_become_numbered_choices_answered_by_number(wechat_hub) -> None:
    def bot(body):
        if body["message"] == "转人工":
            return [{"text": "需要为您转人工吗？", "buttons": [{"title": "需要", "payload": "/affirm"},
                                                          {"title": "不用了", "payload": "/deny"}]}]
        return [{"text": f"收到：{body['message']}"}]

    hub = wechat_hub(bot)
    offer = hub.wechat.reply_text(hub.wechat.text(OPENID, "转人工"))
    assert offer == "需要为您转人工吗？\n请回复数字选择：1. 需要  2. 不用了"
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "2")) == "收到：/deny"
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "2")) == "收到：2"  # no choice pending any more


def test_a_long_answer_is_split_within_wechats_limit(wechat_hub) -> None:
    long_text = "。".join(f"第{i}条：居民阶梯电价按年度累计用电量分三档计价" for i in range(120)) + "。"
    hub = wechat_hub(lambda body: [{"text": long_text}])
    first = hub.wechat.reply_text(hub.wechat.text(OPENID, "阶梯电价怎么算"))
    hub.settle()
    rest = hub.api.texts_to(OPENID)
    assert first and rest
    assert all(len(part.encode()) <= 2048 for part in [first, *rest])
    assert (first + "".join(rest)).replace("\n", "") == long_text


def test_a_picture_is_kept_for_the_agent_and_the_customer_can_ask_for_one(wechat_hub, hub_database: str) -> None:
    hub = wechat_hub(lambda body: [{"text": f"收到：{body['message']}"}])
    reply = hub.wechat.send(OPENID, "image", {"PicUrl": "https://mmbiz.qpic.cn/meter.jpg", "MediaId": "media-1"})
    assert "图片" in hub.wechat.reply_text(reply) and "1. 转人工" in hub.wechat.reply_text(reply)
    assert hub.rasa.seen == []  # the bot cannot look at pictures
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "1")) == "收到：转人工"
    engine = create_engine(hub_database)
    with engine.connect() as conn:
        payload = conn.scalar(select(Message.payload).where(Message.text == "[图片]"))
    engine.dispose()
    assert payload is not None
    assert payload["attachment"] == {"type": "image", "url": "https://mmbiz.qpic.cn/meter.jpg", "media_id": "media-1"}


def test_a_location_offers_outages_or_business_halls_for_that_place(wechat_hub) -> None:
    hub = wechat_hub(lambda body: [{"text": f"收到：{body['message']}"}])
    place = {"Location_X": "37.87", "Location_Y": "112.55", "Scale": "15", "Label": "太原市小店区平阳路12号"}
    offer = hub.wechat.reply_text(hub.wechat.send(OPENID, "location", place))
    assert "太原市小店区平阳路12号" in offer and "1. 查这里的停电信息" in offer
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "1")) == "收到：太原市小店区平阳路12号最近有没有停电"


def test_a_location_answers_the_bots_question_for_an_address(wechat_hub) -> None:
    hub = wechat_hub(lambda body: [{"text": f"收到：{body['message']}"}])
    hub.rasa.slots[f"wechat:{OPENID}"] = {"requested_slot": "service_address"}
    place = {"Location_X": "37.87", "Location_Y": "112.55", "Scale": "15", "Label": "太原市小店区平阳路12号"}
    assert hub.wechat.reply_text(hub.wechat.send(OPENID, "location", place)) == "收到：太原市小店区平阳路12号"


def test_flooding_is_slowed_down_without_reaching_the_bot(wechat_hub) -> None:
    hub = wechat_hub(rate_burst=2, rate_per_s=0.01)
    replies = [hub.wechat.reply_text(hub.wechat.text(OPENID, f"第{i}条")) for i in range(4)]
    assert replies[:2] == ["好的", "好的"] and all("太快" in r for r in replies[2:])
    assert len(hub.rasa.seen) == 2


def test_conversation_is_the_followers_on_the_wechat_channel(wechat_hub, hub_database: str) -> None:
    hub = wechat_hub()
    hub.wechat.text(OPENID, "你好")
    engine = create_engine(hub_database)
    with engine.connect() as conn:
        rows = conn.execute(select(Conversation.channel, Conversation.external_id)).all()
    engine.dispose()
    assert rows == [("wechat", OPENID)]
