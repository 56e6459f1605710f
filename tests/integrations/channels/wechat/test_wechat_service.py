"""A follower's life on the official account: binding an account, asking about it without
proving it again, being handed to an agent whose replies arrive as customer-service
messages, rating the service, unbinding and unfollowing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, select

from integrations.channels.wechat.inbound import NOT_BOUND, UNBOUND
from integrations.conversations.desk import RESOLVED
from integrations.models import WechatBinding

OPENID = "oFollower0002"
ACCOUNT = "3300012345"
HANDOFF = {"custom": {"handoff": {"reason": "requested", "intent": "request_human", "slots": {}}}}


def bot(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Plays the bot: binds after verification, answers a bill for a bound follower only."""
    said = body["message"]
    if said == "绑定户号":
        return [{"text": f"户号{ACCOUNT}已核验并与当前对话绑定。"},
                {"custom": {"bind_account": {"account_no": ACCOUNT, "channel": "wechat"}}}]
    if said == "查电费":
        if body["metadata"].get("bound_account") == ACCOUNT:
            return [{"text": "您2026年10月电费128.50元。"}]
        return [{"text": "请提供户号。"}]
    if said == "转人工":
        return [{"text": "好的，正在为您转接人工客服。"}, HANDOFF]
    return [{"text": "好的"}]


def bindings(database_url: str) -> list[tuple[str, str]]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = [(openid, account) for openid, account in conn.execute(select(WechatBinding.openid, WechatBinding.account_no))]
    engine.dispose()
    return rows


def test_a_bound_follower_asks_about_the_account_without_proving_it_again(wechat_hub, hub_database: str) -> None:
    hub = wechat_hub(bot)
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "查电费")) == "请提供户号。"
    assert "已核验" in hub.wechat.reply_text(hub.wechat.text(OPENID, "绑定户号"))
    assert bindings(hub_database) == [(OPENID, ACCOUNT)]
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "查电费")) == "您2026年10月电费128.50元。"
    assert hub.rasa.seen[-1]["metadata"] == {"channel": "wechat", "bound_account": ACCOUNT}


def test_unbinding_ends_the_verification(wechat_hub, hub_database: str) -> None:
    hub = wechat_hub(bot)
    hub.wechat.text(OPENID, "绑定户号")
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "解除绑定")) == UNBOUND
    assert bindings(hub_database) == []
    assert hub.rasa.events[-1] == (f"wechat:{OPENID}", [{"event": "slot", "name": "verified_account", "value": None}])
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "查电费")) == "请提供户号。"
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "解绑")) == NOT_BOUND


def test_unfollowing_removes_the_binding(wechat_hub, hub_database: str) -> None:
    hub = wechat_hub(bot)
    hub.wechat.text(OPENID, "绑定户号")
    assert hub.wechat.event(OPENID, "unsubscribe").text == "success"
    assert bindings(hub_database) == []


def test_the_rest_channel_cannot_claim_a_binding_or_a_followers_conversation(wechat_hub) -> None:
    import httpx

    hub = wechat_hub(bot)
    hub.wechat.text(OPENID, "绑定户号")
    forged = httpx.post(f"{hub.base_url}/webhooks/rest/webhook", json={
        "sender": OPENID, "message": "查电费", "metadata": {"channel": "wechat", "bound_account": ACCOUNT},
    })
    assert forged.json() == [{"recipient_id": OPENID, "text": "请提供户号。"}]
    assert hub.rasa.seen[-1]["sender"] == f"web:{OPENID}"
    assert hub.rasa.seen[-1]["metadata"] == {"channel": "wechat"}  # wording only; no binding
    assert hub.api.custom == []


def test_an_agents_reply_and_the_rating_request_arrive_as_customer_service_messages(wechat_hub) -> None:
    hub = wechat_hub(bot)
    agent = hub.login()
    hub.wechat.text(OPENID, "绑定户号")
    handed = hub.wechat.reply_text(hub.wechat.text(OPENID, "转人工"))
    assert handed.startswith("好的，正在为您转接人工客服。") and "您是下一位" in handed
    queue = agent.get("/api/console/queue").json()["conversations"]
    (row,) = [c for c in queue if c["channel"] == "wechat"]
    detail = agent.get(f"/api/console/conversations/{row['id']}").json()
    assert detail["customer"]["account"].startswith("3300")  # the bound account's panel
    assert agent.post(f"/api/console/conversations/{row['id']}/claim").status_code == 200
    assert (
        agent.post(f"/api/console/conversations/{row['id']}/messages", json={"text": "您好，我是客服小王。"}).status_code == 201
    )
    assert hub.wechat.reply_text(hub.wechat.text(OPENID, "我上个月电费不对")) is None  # the agent reads it
    assert agent.post(f"/api/console/conversations/{row['id']}/resolve").status_code == 200
    hub.settle()
    pushed = hub.api.texts_to(OPENID)
    assert pushed[0].startswith("已为您接通人工客服")
    assert pushed[1:] == ["您好，我是客服小王。", RESOLVED]
    assert "感谢" in hub.wechat.reply_text(hub.wechat.text(OPENID, "5"))
    assert len(hub.rasa.seen) == 2  # 绑定户号, 转人工: the rest went to the agent or the rating
