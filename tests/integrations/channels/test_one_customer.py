"""One customer across channels: the web chat, the official account and the phone line
write to the same history, which the agent sees next to the customer's account."""

from __future__ import annotations

from typing import Any

from scripts.wechat_sim import APP_ID, TOKEN, WeChatServer
from tests.integrations.channels.voice.line import Line

ACCOUNT = "3300012345"


def bot(body: dict[str, Any]) -> list[dict[str, Any]]:
    if body["message"] == "绑定户号":
        return [{"text": "已绑定。"}, {"custom": {"bind_account": {"account_no": ACCOUNT, "channel": "wechat"}}}]
    if body["message"] == "转人工":
        return [{"text": "好的，正在为您转接人工客服。"},
                {"custom": {"handoff": {"reason": "requested", "intent": "request_human", "slots": {}}}}]
    return [{"text": "好的"}]


def test_web_wechat_and_voice_conversations_share_the_customers_history(hub) -> None:
    h = hub(bot, wechat_token=TOKEN, wechat_app_id=APP_ID)
    agent = h.login()
    # The web chat: verified in the bot, then handed over.
    h.rasa.slots["web:w1"] = {"verified_account": ACCOUNT}
    h.say("转人工", sender="w1")
    # The official account: the follower binds the account.
    wechat = WeChatServer("/wechat", safe=False, http=h.client)
    assert wechat.reply_text(wechat.text("oFollower0009", "绑定户号")) == "已绑定。"
    # The phone line: verified in the bot, then handed over.
    line = Line(h.client, sid="CA0009")
    line.dial()
    h.rasa.slots["voice:CA0009"] = {"verified_account": ACCOUNT}
    line.say("转人工")
    assert line.verb("enqueue")

    store = h.desk.store
    ids = {channel: store.open(channel, sender).id
           for channel, sender in (("web", "w1"), ("wechat", "oFollower0009"), ("voice", "CA0009"))}
    detail = agent.call("GET", f"/api/console/conversations/{ids['voice']}").json()
    assert detail["customer"]["account"] == "3300****45"
    assert {(c["id"], c["channel"]) for c in detail["history"]} == {(ids["web"], "web"), (ids["wechat"], "wechat")}
    web = agent.call("GET", f"/api/console/conversations/{ids['web']}").json()
    assert {c["channel"] for c in web["history"]} == {"wechat", "voice"}
