"""The WeChat records in the shared database: first delivery wins, and pushes respect the
48-hour window and the per-follower limit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from integrations.channels.wechat.ledger import WechatLedger
from integrations.db import make_engine
from integrations.models import Message
from integrations.store import ConversationStore

OPENID = "oFollower0004"


def ledger_and_store(url: str) -> tuple[WechatLedger, ConversationStore, sessionmaker]:
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    return WechatLedger(sessions), ConversationStore(sessions), sessions


def test_each_delivery_key_is_first_only_once(hub_database: str) -> None:
    ledger, _, _ = ledger_and_store(hub_database)
    assert ledger.first_delivery("msg:1") is True
    assert ledger.first_delivery("msg:1") is False
    assert ledger.first_delivery("msg:2") is True


def test_pushes_only_within_48_hours_of_the_followers_last_message(hub_database: str) -> None:
    ledger, store, sessions = ledger_and_store(hub_database)
    assert ledger.may_push(OPENID, 48, 20) == "outside the 48-hour window"  # never wrote
    _, message = store.receive("wechat", OPENID, "你好")
    assert ledger.may_push(OPENID, 48, 20) is None
    with sessions.begin() as session:
        session.execute(update(Message).where(Message.id == message.id)
                        .values(created_at=message.created_at - timedelta(hours=49)))
    assert ledger.may_push(OPENID, 48, 20) == "outside the 48-hour window"


def test_pushes_stop_at_the_per_follower_limit_until_the_follower_writes_again(hub_database: str) -> None:
    ledger, store, _ = ledger_and_store(hub_database)
    store.receive("wechat", OPENID, "你好")
    for _ in range(3):
        ledger.record_push(OPENID, "custom", 0)
    ledger.record_push(OPENID, "custom", 45015)  # refused ones do not count
    assert ledger.may_push(OPENID, 48, 3) == "3 messages pushed since the follower last wrote"
    store.receive("wechat", OPENID, "还在吗")
    assert ledger.may_push(OPENID, 48, 3) is None
