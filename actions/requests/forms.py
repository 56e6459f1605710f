"""The service forms: what the customer's answer fills, whether it is valid, what to ask.

Every form slot is read here (mapping ``custom`` in bot/domain/service.yml) from the
answer to the question just asked, so that a message that answers nothing - a
question such as 电价怎么算, or 取消 - fills nothing: the form is rejected and the
rules answer it, then the form asks again. An answer that is there but wrong is
kept long enough for its ``validate_<slot>`` method to say what is wrong; the form
then asks the same question again.
"""

from __future__ import annotations

import asyncio
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.digressions import AnswersQuestions, is_digression
from actions.identity.gate import verified_account, verified_for
from actions.kernel import clock
from actions.kernel.base import apologize
from actions.kernel.channel import channel_of, say
from actions.kernel.events import (
    latest_intent,
    latest_text,
    slot_before_latest_message,
    texts_since,
)
from actions.kernel.gateway import get_gateway
from actions.parsers.digits import find_account_no
from actions.parsers.periods import parse_period
from actions.parsers.questions import is_question
from actions.parsers.values import (
    CheckDigitMismatch,
    Invalid,
    clean_address,
    clean_free_text,
    clean_name,
    confirms,
    document_answers,
    find_address,
    find_name,
    is_correction,
    parse_bank_account,
    parse_capacity_kw,
    parse_date,
    parse_id_number,
    parse_mobile,
    parse_yes_no,
    reason_text,
    states_reason,
)
from actions.requests.calendar import is_working_day
from actions.requests.catalog import (
    FORMS,
    METER_VISIT_WINDOW_DAYS,
    REGISTERED_PHONE_SERVES,
    Account,
    Form,
    task_for_form,
)
from actions.wording.fmt import money
from actions.wording.requests import (
    DOCUMENT_HELP,
    date_label,
    last_billed_period,
    periods_label,
    span_value,
)
from backend_core.gateway.interfaces import NotFound
from textnorm.noise import is_noise

log = logging.getLogger(__name__)

REQUESTED_SLOT = "requested_slot"
START_ACTION = "action_start_request"  # runs when a request begins (requests/actions.py)
_ID_CUE = re.compile(r"身份证|证件号|身份号")
MOBILE_PREFIX = re.compile(r"1[3-9]")
MAX_PLACE_CHARS = 120
_CORRECTS = {
    "applicant_name": re.compile(r"名字|姓名|名|户主|申请人|叫"),
    "service_address": re.compile(r"地址|住址|门牌|路|街|小区|村|号"),
}
# Intents with which a customer answers the question just asked (beside the intent
# of the request itself, e.g. "增容是因为装了空调" read as apply_capacity_change).
# 是/不是 answer only yes/no questions; a 不 to any other question leaves the form.
ANSWER_INTENTS = frozenset({"inform", "nlu_fallback", "out_of_scope"})
# Free-text answers (a reason) may look like anything but these.
NOT_AN_ANSWER = frozenset(
    {"cancel", "request_human", "complain", "report_hazard", "report_outage", "bot_identity", "goodbye", "greet"}
)
YES_NO_SLOTS = frozenset({"property_proof", "parking_proof", "pm_consent", "request_confirmed"})
MAX_INVOICE_MONTHS = 12

Parser = Callable[[str], Any]


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    values = list(tracker.get_latest_entity_values(entity))
    return str(values[-1]) if values else None


def typed_parsers(today: date, strict: bool = False) -> dict[str, Parser]:
    """Slots whose answers have a shape; ``strict`` wants units (for corrections)."""
    return {
        "id_number": parse_id_number,
        "contact_phone": parse_mobile,
        "new_phone": parse_mobile,
        "capacity_kw": lambda text: parse_capacity_kw(text, bare_number_is_kw=not strict),
        "preferred_date": lambda text: parse_date(text, today),
        "refund_bank_account": parse_bank_account,
        "invoice_period": lambda text: parse_period(text, today),
    }


def names_an_account(text: str, slot: str) -> bool:
    """Whether a reply is an account number rather than the value asked for: a 10-digit
    number starting 13-19 asked for as a phone is a mobile with a digit missing."""
    account = find_account_no(text)
    if account is None or slot == "refund_bank_account":
        return False
    return not (slot in ("contact_phone", "new_phone") and MOBILE_PREFIX.match(account) and "户号" not in text)


def _parses(parser: Parser, text: str) -> bool:
    """Whether ``text`` holds a valid value of the parser's kind."""
    try:
        return parser(text) is not None
    except Invalid:
        return False


def _found(parser: Parser, text: str) -> bool:
    """Whether ``text`` holds a value of the parser's kind, valid or not."""
    try:
        return parser(text) is not None
    except Invalid:
        return True


class ServiceFormValidation(AnswersQuestions, FormValidationAction, ABC):
    """Reads answers for one service form; subclasses name the form and its pre-checks."""

    @property
    @abstractmethod
    def form(self) -> Form:
        """The form this action validates (FORMS entry)."""

    def name(self) -> str:
        return f"validate_{self.form.name}"

    # --- the form's life --------------------------------------------------------
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        try:
            if tracker.get_slot(REQUESTED_SLOT) is None:  # the form is being activated
                task = task_for_form(self.form.name, tracker.get_slot("service_task"))
                if task is not None and task.account is Account.REQUIRED and not _verified(tracker):
                    return [SlotSet(REQUESTED_SLOT, None)]  # identity failed; that form said why
                refusal = await asyncio.to_thread(self.precheck, tracker)  # the core may be remote
                if refusal:
                    say(dispatcher, tracker, refusal)
                    return [SlotSet(REQUESTED_SLOT, None)]
            return await super().run(dispatcher, tracker, domain)
        except Exception:  # the core is unreachable: end the form with an apology, not silence
            log.exception("%s failed for conversation %s", self.name(), tracker.sender_id)
            dispatcher.messages.clear()
            apologize(dispatcher, tracker)
            return [SlotSet(REQUESTED_SLOT, None)]

    def precheck(self, tracker: Tracker) -> str | None:
        """Why the request cannot go ahead for this account, or None."""
        return None

    def skips(self, slot: str, tracker: Tracker) -> bool:
        """Whether ``slot`` is not needed this time (e.g. the address of a verified account).

        A verified customer is called on the account's registered phone unless they give
        another number."""
        return (slot == "contact_phone" and self.form.name in REGISTERED_PHONE_SERVES and _verified(tracker)
                and tracker.get_slot("contact_phone") is None)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return [slot for slot in domain_slots if not self.skips(slot, tracker)]

    # --- reading what the customer says ----------------------------------------
    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Every value of this form the customer gave: the answer to the question just
        asked, and anything else the message states (several values in one line). When
        the form starts, the messages since the request began count too, so values said
        with the request or during the identity check are not asked again."""
        asked = tracker.get_slot(REQUESTED_SLOT)
        if asked is not None and asked not in self.form.slots:
            return []
        texts = [latest_text(tracker)] if asked is not None else texts_since(tracker, START_ACTION)
        found: dict[str, Any] = {}
        for text in texts:
            found.update(self.stated(text, tracker, latest=text is texts[-1]))
        if asked is not None and asked not in found:  # a value named as such beats the raw reply
            found.update(self.answer(asked, tracker))
        return [SlotSet(name, value) for name, value in found.items()]

    def stated(self, text: str, tracker: Tracker, latest: bool) -> dict[str, Any]:
        """The form's values ``text`` names unambiguously, for slots still empty (or any
        slot, when the customer says an earlier value was wrong)."""
        correcting = is_correction(text)
        wanted = [slot for slot in self.form.slots if slot != "request_confirmed"
                  and (correcting or tracker.get_slot(slot) is None)]
        found: dict[str, Any] = {}
        strict = typed_parsers(clock.today(), strict=True)
        for slot in wanted:
            if slot not in strict:
                continue
            # An ID number named as such is taken even when it is wrong, so that validation
            # can say what is wrong with it; anything else only when it reads as a valid value.
            if _parses(strict[slot], text) or (slot == "id_number" and _ID_CUE.search(text) and _found(strict[slot], text)):
                found[slot] = text
        entity = {"applicant_name": "person_name", "service_address": "address"}
        names = {
            "applicant_name": (latest_entity(tracker, entity["applicant_name"]) if latest else None) or find_name(text),
            "service_address": (latest_entity(tracker, entity["service_address"]) if latest else None) or find_address(text),
        }
        for slot, value in names.items():
            # a correction replaces a name or an address only when it says which (名字打错了…)
            named = tracker.get_slot(slot) is None or bool(_CORRECTS[slot].search(text))
            if slot in wanted and value and named:
                found[slot] = value
        for slot, has in document_answers(text).items():
            if slot in wanted:
                found[slot] = has
        if "change_reason" in wanted and states_reason(text):
            found["change_reason"] = reason_text(text)
        return found

    def answer(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        """What the latest message gives the requested ``slot`` (empty: nothing, e.g. a
        question about the request, which the form answers before asking again)."""
        text, intent = latest_text(tracker), latest_intent(tracker)
        if names_an_account(text, slot):
            return {}  # 「户号…尾号…」 answers who the customer is: the identity check takes it, then the form
        answering = intent in ANSWER_INTENTS or intent == tracker.get_slot("service_task")
        if is_noise(text) or is_digression(tracker, self.own_intents(tracker), self.own_words):
            answering = False
        if slot in YES_NO_SLOTS:
            if intent == "affirm" or (slot == "request_confirmed" and confirms(text)):
                return {slot: True}
            if slot == "request_confirmed" and (answering or intent == "deny") and is_correction(text):
                return {}  # 「不对，电话是139…」: stated() took the new value; the summary comes again
            if intent == "deny":
                return {slot: False}
            if not answering:
                return {}
            said = parse_yes_no(text)
            return {slot: text if said is None else said}
        parsers = typed_parsers(clock.today())
        if slot in parsers:
            return {slot: text} if answering or _found(parsers[slot], text) else {}
        if slot == "change_reason":
            answering = answering or (intent not in NOT_AN_ANSWER and not (intent or "").startswith(("query_", "ask_"))
                                      and not is_question(text))
        return {slot: text} if answering else {}

    def own_intents(self, tracker: Tracker) -> frozenset[str]:
        task = tracker.get_slot("service_task")
        return frozenset({task}) if task else frozenset()

    def topic(self, tracker: Tracker) -> str:
        task = task_for_form(self.form.name, tracker.get_slot("service_task"))
        return task.title if task else ""

    # --- validation (rasa-sdk calls validate_<slot> for every slot just filled) --
    def _parsed(
        self, slot: str, value: Any, parser: Parser, missing: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> tuple[dict[str, Any], Any]:
        """(events, parsed value): the value, or None after telling the customer why not.

        A value the customer was not asked for (an entity NLU saw in passing, 「英雄的英」
        read as a place) that does not parse is dropped quietly, and the answer given
        before stays.
        """
        if value is None:
            return {slot: None}, None
        try:
            parsed = parser(str(value))
            why = missing
        except Invalid as invalid:
            parsed, why = None, str(invalid)
        if parsed is not None:
            return {slot: parsed}, parsed
        earlier = slot_before_latest_message(tracker, slot)
        if earlier is not None and tracker.get_slot("requested_slot") != slot:
            return {slot: earlier}, earlier
        say(dispatcher, tracker, why)
        return {slot: None}, None

    def validate_applicant_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._parsed("applicant_name", value, clean_name, "没听清姓名，请告诉我身份证上的名字。", dispatcher, tracker)[0]

    def validate_id_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            parse_id_number(str(value or ""))
        except CheckDigitMismatch as mismatch:
            say(dispatcher, tracker, f"{mismatch}我先按这个号码登记，工作人员受理时会和您核对。")
            return {"id_number": mismatch.candidate}
        except Invalid:
            pass
        return self._parsed("id_number", value, parse_id_number, "没有识别出身份证号码，请输入18位号码。", dispatcher, tracker)[0]

    def validate_service_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._parsed(
            "service_address", value, clean_address, "请说一下具体地址，比如街道（村）、小区和门牌号。", dispatcher, tracker
        )[0]

    def validate_contact_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._parsed("contact_phone", value, parse_mobile, "没有识别出手机号码。", dispatcher, tracker)[0]

    def validate_capacity_kw(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        events, capacity = self._parsed(
            "capacity_kw",
            value,
            lambda text: parse_capacity_kw(text, bare_number_is_kw=True),
            "没有听出容量是多少，请说一个数字，比如“8千瓦”。",
            dispatcher,
            tracker,
        )
        return {"capacity_kw": float(capacity)} if capacity is not None else events

    def validate_change_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._parsed("change_reason", value, clean_free_text, "请简单说一下调整容量的原因。", dispatcher, tracker)[0]

    def validate_refund_bank_account(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._parsed(
            "refund_bank_account",
            value,
            parse_bank_account,
            "没有识别出银行卡号，请输入户主本人的银行卡号。",
            dispatcher,
            tracker,
        )[0]

    async def validate_preferred_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await asyncio.to_thread(self._preferred_date, value, dispatcher, tracker)  # asks the core

    def _preferred_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        today = clock.today()
        events, day = self._parsed(
            "preferred_date",
            value,
            lambda text: parse_date(text, today),
            "没听出是哪一天，可以说“明天”“下周二”或者“11月25日”。",
            dispatcher,
            tracker,
        )
        if day is None:
            return events
        last = today + timedelta(days=METER_VISIT_WINDOW_DAYS)
        problem = None
        if day < today:
            problem = f"{date_label(day)}已经过去了，请选一个今天以后的日期。"
        elif day > last:
            problem = f"上门校验可以预约{METER_VISIT_WINDOW_DAYS}天以内的工作日，请选{date_label(last)}以前的日期。"
        elif not is_working_day(day):
            problem = f"{date_label(day)}不是工作日，上门校验只安排在工作日，请换一天。"
        if problem:
            say(dispatcher, tracker, problem)
            return {"preferred_date": None}
        return {"preferred_date": day.isoformat()}

    async def validate_invoice_period(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await asyncio.to_thread(self._invoice_period, value, dispatcher, tracker)  # asks the core

    def _invoice_period(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        today = clock.today()
        events, span = self._parsed(
            "invoice_period",
            value,
            lambda text: parse_period(text, today),
            "请说一下要开哪个月的发票，比如“10月”或者“今年1到6月”。",
            dispatcher,
            tracker,
        )
        if span is None:
            return events
        months = span.months()
        if months[-1] > last_billed_period(today):
            say(dispatcher, tracker, f"{int(months[-1][5:])}月的电费账单还没有出，发票要等账单出来以后才能开。")
            return {"invoice_period": None}
        if len(months) > MAX_INVOICE_MONTHS:
            say(dispatcher, tracker, f"一次最多开{MAX_INVOICE_MONTHS}个月的发票，请缩小一下范围。")
            return {"invoice_period": None}
        missing = next((m for m in months if not _has_bill(verified_for(tracker), m)), None)
        if missing:
            say(dispatcher, tracker, f"没有查到您户号{periods_label(missing)}的电费账单，请换一个月份。")
            return {"invoice_period": None}
        return {"invoice_period": span_value(span)}

    async def validate_new_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await asyncio.to_thread(self._new_phone, value, dispatcher, tracker)  # asks the core

    def _new_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        events, phone = self._parsed("new_phone", value, parse_mobile, "没有识别出新的手机号码。", dispatcher, tracker)
        account_no = verified_for(tracker)
        if phone and account_no:
            registered = get_gateway().account_summary(account_no).phone
            if registered[:3] == phone[:3] and registered[-4:] == phone[-4:]:
                say(dispatcher, tracker, "这个号码和现在登记的联系电话是同一个，不需要修改。如果要换成别的号码，请告诉我新号码。")
                return {"new_phone": None}
        return events

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if isinstance(value, str):
            value = parse_yes_no(value)
            if value is None:
                say(dispatcher, tracker, "请回答“有”或者“没有”。" + DOCUMENT_HELP[slot])
                return {slot: None}
        if value is False:
            say(
                dispatcher,
                tracker,
                DOCUMENT_HELP[slot] + "暂时没有也可以先登记，工作人员会和您约时间补交，材料齐全后才能完成办理。",
            )
        return {slot: value}

    def validate_property_proof(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._yes_no("property_proof", value, dispatcher, tracker)

    def validate_parking_proof(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._yes_no("parking_proof", value, dispatcher, tracker)

    def validate_pm_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._yes_no("pm_consent", value, dispatcher, tracker)

    def validate_request_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, str):
            value = parse_yes_no(value)
            if value is None:
                say(dispatcher, tracker, "请回复“确认”提交申请，或者“不提交”。")
        return {"request_confirmed": value}


def _has_bill(account_no: str | None, period: str) -> bool:
    if account_no is None:  # no account, no bill (the core would say NotFound)
        return False
    try:
        get_gateway().get_bill(account_no, period)
    except NotFound:
        return False
    return True


def _arrears_refusal(tracker: Tracker, what: str) -> str | None:
    arrears = get_gateway().get_arrears(verified_account(tracker))
    if arrears.total <= 0:
        return None
    fee = f"（其中违约金{money(arrears.late_fee)}）" if arrears.late_fee > 0 else ""
    return (
        f"您的账户目前还有欠费{money(arrears.total)}{fee}，需要先结清才能办理{what}。"
        "缴清后再来找我，就可以继续办理。"
    )


def _verified(tracker: Tracker) -> bool:
    return verified_for(tracker) is not None


class AddressOfVerifiedAccount:
    """A form about the customer's own premises: a verified account already has its address."""

    def skips(self, slot: str, tracker: Tracker) -> bool:
        return super().skips(slot, tracker) or (slot == "service_address" and _verified(tracker))  # type: ignore[misc]


class ValidateNewConnectionForm(ServiceFormValidation):
    form = FORMS["new_connection_form"]


class ValidateCapacityChangeForm(ServiceFormValidation):
    form = FORMS["capacity_change_form"]


class ValidateTransferForm(ServiceFormValidation):
    form = FORMS["transfer_form"]

    def precheck(self, tracker: Tracker) -> str | None:
        return _arrears_refusal(tracker, "过户")


class ValidateMeterCheckForm(ServiceFormValidation):
    form = FORMS["meter_check_form"]


class ValidateTouForm(ServiceFormValidation):
    form = FORMS["tou_form"]

    def precheck(self, tracker: Tracker) -> str | None:
        account = get_gateway().account_summary(verified_account(tracker))
        if account.customer_class != "residential":
            return "居民峰谷电价只适用于居民生活用电。您的账户不是居民用电，执行的是对应类别的分时电价，不需要另外申请。"
        if account.time_of_use:
            return "您的账户已经在执行居民峰谷电价了，不需要重复办理。"
        return None


class ValidateCloseAccountForm(ServiceFormValidation):
    form = FORMS["close_account_form"]

    def precheck(self, tracker: Tracker) -> str | None:
        return _arrears_refusal(tracker, "销户")


class ValidateEvChargerForm(AddressOfVerifiedAccount, ServiceFormValidation):
    form = FORMS["ev_charger_form"]


class ValidateInvoiceForm(ServiceFormValidation):
    form = FORMS["invoice_form"]


class ValidateUpdateContactForm(ServiceFormValidation):
    form = FORMS["update_contact_form"]


class ValidateOutageForm(AddressOfVerifiedAccount, ServiceFormValidation):
    form = FORMS["outage_form"]


class ValidateRepairForm(ServiceFormValidation):
    form = FORMS["repair_form"]


# Where people say a hazard is, when they give no address: 小区门口, 楼道里, 村口那棵树.
_PLACE = re.compile(
    r"小区|村|路|街|巷|门口|楼下|楼上|楼道|楼顶|屋顶|房顶|院子|路口|路边|旁边|对面|附近|学校|幼儿园|菜市场|市场|公园|"
    r"桥|河边|田|厂|店|超市|广场|车库|车棚|单元|栋|幢|号楼|停车场|工地|加油站|医院"
)


class ValidateHazardForm(ServiceFormValidation):
    """A hazard reported with its place is recorded at once; the phone is asked only otherwise.

    People describe the place rather than give an address (「小区门口那根电线杆」): any
    such description is enough to send a crew at once, who call on the way.
    """

    form = FORMS["hazard_form"]

    def stated(self, text: str, tracker: Tracker, latest: bool) -> dict[str, Any]:
        found = super().stated(text, tracker, latest)
        if tracker.get_slot("service_address") is None and "service_address" not in found and _PLACE.search(text):
            found["service_address"] = clean_free_text(text[:MAX_PLACE_CHARS])
        return found

    def skips(self, slot: str, tracker: Tracker) -> bool:
        activating = tracker.get_slot(REQUESTED_SLOT) is None
        at_once = slot == "contact_phone" and activating and bool(tracker.get_slot("service_address"))
        return at_once or super().skips(slot, tracker)


class ValidateSubscribeForm(ServiceFormValidation):
    """WeChat followers are notified on WeChat; everyone else by SMS to a phone."""

    form = FORMS["subscribe_form"]

    def skips(self, slot: str, tracker: Tracker) -> bool:
        return (slot == "contact_phone" and channel_of(tracker) == "wechat") or super().skips(slot, tracker)
