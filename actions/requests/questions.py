"""The questions the service forms ask, one ``action_ask_…`` action each.

Rasa finds a form's question as ``action_ask_<form>_<slot>`` or
``action_ask_<slot>``. They are actions rather than domain responses so that they
go through the channel rules (buttons on web and WeChat, spoken choices on the
phone) and so that the summary can be built from the values collected.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.identity.gate import verified_for
from actions.kernel.channel import Button, channel_of, say
from actions.requests.catalog import FORMS, task_for_form
from actions.wording.requests import DOCUMENT_HELP, SAFETY_ADVICE, summary_lines

YES_NO: tuple[Button, ...] = (("有", "/affirm"), ("没有", "/deny"))
CONFIRM: tuple[Button, ...] = (("确认提交", "/affirm"), ("先不提交", "/deny"))

# "<slot>" asks in every form; "<form>_<slot>" asks in that form only.
PROMPTS: dict[str, tuple[str, tuple[Button, ...]]] = {
    "applicant_name": ("请问申请人的姓名是？请与身份证上的一致。", ()),
    "transfer_form_applicant_name": ("请问新户主的姓名是？请与身份证上的一致。", ()),
    "id_number": ("请提供申请人的18位身份证号码。", ()),
    "transfer_form_id_number": ("请提供新户主的18位身份证号码。", ()),
    "close_account_form_id_number": ("请提供户主本人的18位身份证号码。", ()),
    "service_address": ("请告诉我用电地址，具体到门牌号，比如“城东区平阳路12号3单元501”。", ()),
    "ev_charger_form_service_address": ("请告诉我要装充电桩的地址，写到小区和车位号。", ()),
    "outage_form_service_address": ("请告诉我停电的地址（街道或小区、门牌号），我帮您查一下。", ()),
    "hazard_form_service_address": (
        SAFETY_ADVICE + "\n请告诉我具体位置（街道、小区或村组、门牌号，或者附近的明显标志），我马上安排抢修。",
        (),
    ),
    "property_proof": ("请问房屋的产权证明您手上有吗？" + DOCUMENT_HELP["property_proof"], YES_NO),
    "parking_proof": ("请问您有车位的产权证明或租赁证明吗？" + DOCUMENT_HELP["parking_proof"], YES_NO),
    "pm_consent": ("物业同意安装的证明开好了吗？" + DOCUMENT_HELP["pm_consent"], YES_NO),
    "contact_phone": ("请留一个联系手机号，方便工作人员和您联系。", ()),
    "repair_form_contact_phone": ("请留一个联系手机号，抢修人员到达前会和您联系。", ()),
    "hazard_form_contact_phone": ("请留一个联系手机号，抢修人员到现场时方便找到您。", ()),
    "subscribe_form_contact_phone": ("停电通知会以短信发送，请告诉我接收短信的手机号。", ()),
    "capacity_kw": ("请问需要申请多少千瓦的用电容量？", ()),
    "capacity_change_form_capacity_kw": ("请问要把容量调整到多少千瓦？", ()),
    "change_reason": ("请简单说一下调整容量的原因，比如新添了空调、电采暖，或者经营用电有变化。", ()),
    "preferred_date": ("请问希望哪天上门校验？可以说“明天”“下周二”或者具体日期，上门只安排在工作日。", ()),
    "refund_bank_account": ("请提供户主本人的银行卡号，用于退还预存的电费余额。", ()),
    "invoice_period": ("请问要开哪个月的电费发票？比如“10月”，或者“今年1到6月”。", ()),
    "new_phone": ("请告诉我新的手机号码。", ()),
}


class AskForSlot(Action, ABC):
    """One question of PROMPTS; the subclasses below differ only in ``key``."""

    @property
    @abstractmethod
    def key(self) -> str:
        """The PROMPTS entry this action asks."""

    def name(self) -> str:
        return f"action_ask_{self.key}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text, buttons = PROMPTS[self.key]
        say(dispatcher, tracker, text, buttons)
        return []


def _ask_action(key: str) -> type[AskForSlot]:
    """A named class of this module: rasa-sdk registers it, and Sanic's worker
    processes find it again by module and name when they unpickle the server."""
    cls = type(f"AskFor_{key}", (AskForSlot,), {"key": key, "__module__": __name__})
    globals()[cls.__name__] = cls
    return cls


ASK_ACTIONS: list[type[AskForSlot]] = [_ask_action(key) for key in PROMPTS]


class ActionAskRequestConfirmed(Action):
    """The summary of the request and the question whether to submit it."""

    def name(self) -> str:
        return "action_ask_request_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        form = FORMS[tracker.active_loop_name or ""]  # asked by the active form
        task = task_for_form(form.name, tracker.get_slot("service_task"))
        slots: dict[str, Any] = tracker.slots
        lines = summary_lines(form, slots, verified_for(tracker), spoken=channel_of(tracker) == "voice")
        title = task.title if task else ""
        text = f"请核对您的{title}申请：\n" + "\n".join(lines) + "\n以上信息无误的话，我就为您提交。"
        say(dispatcher, tracker, text, CONFIRM)
        return []
