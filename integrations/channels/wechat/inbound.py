"""What one WeChat delivery asks of the hub: words to route, a picture or a place to
keep, an answer the hub gives itself, or nothing at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from wechatpy.events import (
    ClickEvent,
    SubscribeEvent,
    SubscribeScanEvent,
    UnsubscribeEvent,
)
from wechatpy.messages import (
    BaseMessage,
    ImageMessage,
    LocationMessage,
    TextMessage,
    VoiceMessage,
)

from integrations.channels.wechat import menu

WELCOME = (
    "您好，欢迎关注示例省电力公司！我是智能客服，可以帮您查电费、余额和欠费，查用电量，"
    "查停电信息和报修，办理用电业务，也可以转人工客服。\n"
    "第一次查询前，请回复“绑定户号”：核验户号和预留手机号后4位以后，再查询就不用重复验证了。"
)
UNHEARD = "抱歉，没能听清您的语音，请直接打字告诉我您想办理什么。"
UNSUPPORTED = "抱歉，目前只能处理文字、语音、图片和位置消息，请用文字告诉我您的问题。"
UNBOUND = "已解除本微信与户号的绑定。以后查询电费等信息，需要再次核验身份。"
NOT_BOUND = "您的微信目前没有绑定户号，不需要解除。"
_UNBIND = re.compile(r"^\s*(解绑|解除绑定|取消绑定)(户号)?\s*[。.!！]?\s*$")


@dataclass(frozen=True)
class Delivery:
    """One delivery, read. Exactly one of ``text``, ``answer``, ``unbind`` or
    ``unfollow`` says what to do; none of them means: answer nothing."""

    key: str  # WeChat's retries of this delivery carry the same key
    openid: str
    text: str | None = None  # the customer's words (or a menu click's) for the router
    attachment: dict[str, Any] | None = None
    answer: str | None = None  # the hub answers at once, nothing is routed
    unbind: bool = False
    unfollow: bool = False


def read(message: BaseMessage) -> Delivery:
    openid = message.source
    event = getattr(message, "event", message.type)
    key = f"msg:{message.id}" if message.id else f"event:{openid}:{int(message.create_time.timestamp())}:{event}"
    found = Delivery(key=key, openid=openid)
    if isinstance(message, TextMessage):
        if _UNBIND.match(message.content or ""):
            return replace(found, unbind=True)
        return replace(found, text=message.content or "")
    if isinstance(message, VoiceMessage):
        heard = (message.recognition or "").strip()
        return replace(found, text=heard) if heard else replace(found, answer=UNHEARD)
    if isinstance(message, ImageMessage):
        return replace(found, text="[图片]", attachment={"type": "image", "url": message.image, "media_id": message.media_id})
    if isinstance(message, LocationMessage):
        label = (message.label or "").strip()
        lat, lng = message.location
        return replace(found, text=label or f"{lat},{lng}",
                     attachment={"type": "location", "label": label, "lat": lat, "lng": lng})
    if isinstance(message, (SubscribeEvent, SubscribeScanEvent)):
        return replace(found, answer=WELCOME)
    if isinstance(message, UnsubscribeEvent):
        return replace(found, unfollow=True)
    if isinstance(message, ClickEvent):
        said = menu.says(message.key or "")
        return replace(found, text=said) if said else found
    if message.type in ("video", "shortvideo", "link", "file"):
        return replace(found, answer=UNSUPPORTED)
    return found  # VIEW, template-send receipts and every other event: nothing to say

