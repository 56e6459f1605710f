"""The official account against the whole system: a follower proves an account once,
binds it, and is still verified in the bot's next session."""

from __future__ import annotations

import time

from scripts.running import RunningSystem
from scripts.wechat_sim import WeChatServer


def follower(system: RunningSystem) -> tuple[WeChatServer, str]:
    return WeChatServer(system.url("hub") + "/wechat", safe=False), f"oE2E{time.time_ns()}"


def ask(wechat: WeChatServer, openid: str, text: str) -> str:
    return wechat.reply_text(wechat.text(openid, text)) or ""


def test_a_bound_follower_gets_the_bill_in_a_new_session_without_verifying(system: RunningSystem) -> None:
    wechat, openid = follower(system)
    assert "户号" in ask(wechat, openid, "上个月电费多少")
    ask(wechat, openid, "3300012345")
    assert "152.88" in ask(wechat, openid, "8000")
    assert "绑定" in ask(wechat, openid, "绑定户号")
    ask(wechat, openid, "/restart")  # the bot starts a new session, as after an hour's silence
    assert "152.88" in ask(wechat, openid, "上个月电费多少")


def test_a_follower_who_never_bound_is_asked_to_verify_in_a_new_session(system: RunningSystem) -> None:
    wechat, openid = follower(system)
    ask(wechat, openid, "上个月电费多少")
    ask(wechat, openid, "3300012345")
    assert "152.88" in ask(wechat, openid, "8000")
    ask(wechat, openid, "/restart")
    answer = ask(wechat, openid, "上个月电费多少")
    assert "152.88" not in answer and "户号" in answer

