"""When NLU is not sure: the documents, then "您是想问…？", then the offer of a human.

A message NLU could not place may still be a real question in words it has not
learned, often a follow-up to the previous answer: when the documents answer it
confidently (in the light of that answer), the customer gets that answer. Otherwise
the first message the bot does not understand gets the two likeliest topics as
buttons (spoken as choices on the phone), and a second one in a row gets the offer of
a human agent (service_rules.yml, handoff: two failed understandings in a row), never
a passage picked at random.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.knowledge import reply_to_question
from actions.handoff.offers import offer_human
from actions.kernel.base import SafeAction
from actions.kernel.channel import say
from actions.kernel.events import consecutive_answers_by, latest_text
from textnorm.noise import is_noise

ACTION_NAME = "action_handle_fallback"
MIN_CONFIDENCE = 0.15  # below this an intent is noise, not a suggestion
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]")  # emoji or stray symbols suggest nothing
# What the customer would have meant, as a button label.
TOPICS = {
    "query_bill": "查询电费账单",
    "query_balance": "查询余额",
    "query_arrears": "查询欠费",
    "query_usage": "查询用电量",
    "explain_high_bill": "电费为什么偏高",
    "query_payment_history": "查看缴费记录",
    "how_to_pay": "缴费方式",
    "payment_not_received": "缴费后未到账或未来电",
    "query_late_fee": "违约金怎么算",
    "request_invoice": "开电费发票",
    "query_tariff": "电价标准",
    "query_tier_status": "阶梯电量用到第几档",
    "ask_tou_advice": "峰谷电价是否划算",
    "report_outage": "家里停电报修",
    "query_planned_outage": "查询停电计划",
    "query_restore_time": "什么时候来电",
    "report_hazard": "报告安全隐患",
    "subscribe_outage_notice": "订阅停电通知",
    "apply_new_connection": "新装用电",
    "apply_capacity_change": "增容或减容",
    "apply_transfer": "过户更名",
    "apply_meter_check": "电表校验",
    "apply_tou": "办理峰谷电价",
    "apply_close_account": "销户",
    "apply_ev_charger": "充电桩报装",
    "query_ticket_status": "查询办理进度",
    "ask_policy": "用电政策咨询",
    "ask_energy_saving": "节能用电建议",
    "ask_safety": "安全用电知识",
    "bind_account": "绑定户号",
    "update_contact": "修改联系电话",
    "complain": "投诉",
    "praise_or_suggest": "表扬或建议",
    "request_human": "转人工客服",
}


def suggestions(tracker: Tracker, count: int = 2) -> list[tuple[str, str]]:
    """(label, payload) for the likeliest topics NLU saw in the latest message."""
    if not _WORDS.search(latest_text(tracker)):
        return []
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    found = []
    for entry in ranking:
        name = entry.get("name")
        if name in TOPICS and (entry.get("confidence") or 0) >= MIN_CONFIDENCE:
            found.append((TOPICS[name], f"/{name}"))
        if len(found) == count:
            break
    return found


class ActionHandleFallback(SafeAction):
    action_name = ACTION_NAME

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = latest_text(tracker).strip()
        answered = reply_to_question(dispatcher, tracker, text) if not is_noise(text) and _WORDS.search(text) else None
        if answered is not None:
            return answered
        if consecutive_answers_by(tracker, ACTION_NAME) >= 2:
            return offer_human(dispatcher, tracker, "fallback", "抱歉，我还是没能理解您的意思。")
        options = suggestions(tracker)
        if not options:
            say(
                dispatcher,
                tracker,
                "抱歉，我没太明白您的意思。能换个说法再说一次吗？比如“查上个月电费”“我家停电了”，也可以说“转人工”。",
            )
            return []
        say(
            dispatcher,
            tracker,
            "抱歉，我没太明白。您是想问下面哪一项？如果都不是，请换个说法告诉我，或者说“转人工”。",
            buttons=options,
        )
        return []
