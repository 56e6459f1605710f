"""What the WeChat channel keeps in the hub's database: deliveries already seen, account
bindings, and the messages it pushed.

All of it lives in the database shared by every hub replica, never in process memory:
a retry that lands on another replica is still recognised, and a binding made through
one replica holds on all.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from integrations.models import (
    Conversation,
    Message,
    WechatBinding,
    WechatDelivery,
    WechatSend,
    as_utc,
    utcnow,
)

CHANNEL: Final = "wechat"


class WechatLedger:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def first_delivery(self, key: str) -> bool:
        """True for the first delivery of ``key``; False for WeChat's retries of it, however
        many arrive at once (the primary key lets exactly one insert through)."""
        try:
            with self._sessions.begin() as session:
                session.add(WechatDelivery(key=key[:160]))
            return True
        except IntegrityError:
            return False

    # -- bindings -----------------------------------------------------------------------

    def bound_account(self, openid: str) -> str | None:
        with self._sessions() as session:
            return session.scalar(select(WechatBinding.account_no).where(WechatBinding.openid == openid))

    def bind(self, openid: str, account_no: str) -> None:
        """Bind (or re-bind) the follower to an account the bot verified."""
        with self._sessions.begin() as session:
            binding = session.get(WechatBinding, openid)
            if binding is None:
                session.add(WechatBinding(openid=openid, account_no=account_no))
            else:
                binding.account_no, binding.bound_at = account_no, utcnow()

    def unbind(self, openid: str) -> bool:
        with self._sessions.begin() as session:
            return session.execute(delete(WechatBinding).where(WechatBinding.openid == openid)).rowcount > 0

    # -- pushed messages ----------------------------------------------------------------

    def may_push(self, openid: str, window_h: int, limit: int) -> str | None:
        """Why a customer-service message may not go out now (None: it may): WeChat accepts
        them only within ``window_h`` hours of the follower's last message, and at most
        ``limit`` in that time."""
        with self._sessions() as session:
            last = session.scalar(
                select(func.max(Message.created_at))
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(Conversation.channel == CHANNEL, Conversation.external_id == openid, Message.author == "customer")
            )
            if last is None or utcnow() - as_utc(last) > timedelta(hours=window_h):
                return f"outside the {window_h}-hour window"
            pushed = session.scalar(
                select(func.count()).select_from(WechatSend)
                .where(WechatSend.openid == openid, WechatSend.kind == "custom", WechatSend.errcode == 0,
                       WechatSend.sent_at > last)
            )
            return f"{pushed} messages pushed since the follower last wrote" if pushed >= limit else None

    def record_push(self, openid: str, kind: str, errcode: int) -> None:
        with self._sessions.begin() as session:
            session.add(WechatSend(openid=openid, kind=kind, errcode=errcode))
