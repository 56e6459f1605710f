"""Outage-notice subscriptions: a customer asks to be told of planned outages on its supply."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.errors import InvalidInput
from backend_core.gateway.interfaces import Subscription
from backend_core.masking import mask_phone
from backend_core.services.context import CoreContext
from backend_core.services.lookup import load_account

CHANNELS = ("sms", "wechat")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _masked_target(channel: str, target: str) -> str:
    if channel == "sms":
        return mask_phone(target)
    return target[:4] + "****" + target[-4:] if len(target) > 8 else "****"


def subscribe_outage_notice(session: Session, ctx: CoreContext, account_no: str, channel: str, target: str) -> Subscription:
    if channel not in CHANNELS:
        raise InvalidInput("bad_channel", f"channel must be one of {', '.join(CHANNELS)}")
    target = (target or "").strip()
    if channel == "sms" and not MOBILE.match(target):
        raise InvalidInput("bad_phone", "短信订阅需要11位手机号")
    if not target or len(target) > 100:
        raise InvalidInput("bad_target", "target must be 1..100 characters")
    account = load_account(session, account_no)
    row = session.scalar(
        select(models.OutageSubscription).where(
            models.OutageSubscription.account_no == account.account_no,
            models.OutageSubscription.channel == channel,
            models.OutageSubscription.target == target,
        )
    )
    if row is None:
        row = models.OutageSubscription(
            account_no=account.account_no, channel=channel, target=target, active=True, created_at=ctx.clock.now()
        )
        session.add(row)
    row.active = True
    session.flush()
    return Subscription(account_no=account.account_no, channel=channel, target=_masked_target(channel, target), active=True)
