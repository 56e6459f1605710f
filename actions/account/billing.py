"""Bills, prepaid balance, arrears and payments of the verified account.

Every figure comes from the core's billing engine; the bot only puts it into words
(and, on the web chat, into a bill card or a chart built from the same objects).
"""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.account.base import AccountAction, requested_period, shown
from actions.handoff.offers import offer_human
from actions.kernel.channel import say, show
from actions.kernel.clock import today
from actions.kernel.facts import service_facts, tariff_facts
from actions.parsers.periods import MonthSpan
from actions.wording.cards import bill_card, bills_chart, is_settled
from actions.wording.fmt import (
    METER_STATES,
    channel_label,
    day_label,
    kwh,
    moment_label,
    money,
    month_label,
    price,
    short_month,
    yuan,
)
from backend_core.gateway.interfaces import Bill, BillLine, CoreGateway, NotFound

PAY_BUTTONS = (("缴费方式", "/how_to_pay"), ("查欠费", "/query_arrears"))


def line_text(line: BillLine) -> str:
    if line.kwh is not None and line.price is not None:
        return f"· {line.label}：{kwh(line.kwh)} × {price(line.price)} = {money(line.amount)}"
    return f"· {line.label}：{money(line.amount)}"


def bill_status(bill: Bill) -> str:
    if is_settled(bill):
        return "本期电费已缴清。"
    if bill.due_on < today():
        return f"尚有{money(bill.unpaid_amount)}未缴，已超过缴费截止日（{day_label(bill.due_on)}），会按日计收违约金。"
    return f"尚有{money(bill.unpaid_amount)}未缴，请在{day_label(bill.due_on)}前缴清。"


def bill_text(bill: Bill) -> str:
    lines = [
        f"户号{bill.account_no}，{month_label(bill.period)}电费账单：",
        f"用电{kwh(bill.kwh)}，电费合计{money(bill.total)}。",
    ]
    lines += [line_text(line) for line in bill.lines]
    lines.append(bill_status(bill))
    return "\n".join(lines)


def bills_in(gateway: CoreGateway, account_no: str, span: MonthSpan) -> list[Bill]:
    months = set(span.months())
    return sorted((b for b in gateway.list_bills(account_no, limit=36) if b.period in months), key=lambda b: b.period)


class ActionQueryBill(AccountAction):
    action_name = "action_query_bill"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        span = requested_period(tracker)
        if span is not None and not span.single:
            return self._several(dispatcher, tracker, account_no, gateway, span)
        try:
            bill = gateway.get_bill(account_no, span.first if span else None)
        except NotFound:
            if span is None:
                say(dispatcher, tracker, "您的户号目前还没有出过电费账单。")
                return []
            latest = gateway.get_bill(account_no)
            say(
                dispatcher,
                tracker,
                f"{month_label(span.first)}的账单还没有出具（每月1日出具上个月的账单）。"
                f"最近一期是{month_label(latest.period)}的：\n{bill_text(latest)}",
            )
            show(dispatcher, tracker, bill_card(latest))
            return shown(latest.period)
        buttons = PAY_BUTTONS if not bill.paid else (("为什么这么高", "/explain_high_bill"),)
        say(dispatcher, tracker, bill_text(bill), buttons=buttons)
        show(dispatcher, tracker, bill_card(bill))
        return shown(bill.period)

    def _several(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway, span: MonthSpan
    ) -> list[EventType]:
        bills = bills_in(gateway, account_no, span)
        label = f"{month_label(span.first)}至{month_label(span.last)}"
        if not bills:
            say(dispatcher, tracker, f"没有查到{label}的电费账单。")
            return []
        rows = [
            f"· {month_label(b.period)}：{kwh(b.kwh)}，{money(b.total)}（{'已缴' if b.paid else '未缴'}）" for b in bills
        ]
        total = sum((b.total for b in bills), Decimal(0))
        used = sum((b.kwh for b in bills), Decimal(0))
        say(
            dispatcher,
            tracker,
            f"户号{account_no}，{label}已出具的账单：\n" + "\n".join(rows) + f"\n合计用电{kwh(used)}，电费{money(total)}。",
        )
        if len(bills) >= 2:  # a list of bills gets one chart of them, no cards
            show(dispatcher, tracker, bills_chart(bills))
        return []


class ActionQueryBalance(AccountAction):
    action_name = "action_query_balance"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        summary = gateway.account_summary(account_no)
        if summary.billing != "prepaid":
            arrears = gateway.get_arrears(account_no)
            owed = "目前没有未缴的电费。"
            if arrears.items:
                owed = f"目前有未缴电费{money(arrears.principal)}"
                owed += f"，另有违约金{money(arrears.late_fee)}。" if arrears.late_fee > 0 else "。"
            say(dispatcher, tracker, f"您的户号是先用电、后交费，没有预存余额；{owed}", buttons=PAY_BUTTONS)
            return []
        status = gateway.get_prepaid_status(account_no)
        prepaid = tariff_facts().prepaid
        high, low = (yuan(a) for a in prepaid.balance_alerts_yuan[:2])
        parts = [f"您的费控账户当前余额{money(status.balance)}。"]
        if status.alert_level == "below_30":
            parts.append(f"余额已低于{high}提醒线，建议及时充值。")
        elif status.alert_level == "below_10":
            parts.append(f"余额已低于{low}，请尽快充值，以免余额用完后停电。")
        elif status.alert_level == "negative":
            parts.append(f"账户已欠费{money(-status.balance)}。")
            if status.disconnect_at:
                parts.append(f"如未充值，将于{moment_label(status.disconnect_at)}停电。")
        if status.meter_state == "disconnected_negative_balance":
            parts.append(f"很抱歉，目前已因余额不足停电。充值使余额回到0元以上后，{prepaid.reconnect_within_hours}小时内自动恢复供电。")
        elif status.estimated_days_left is not None and status.balance > 0:
            parts.append(f"按最近的平均用电，大约还能用{status.estimated_days_left}天。")
        say(dispatcher, tracker, "".join(parts), buttons=(("缴费方式", "/how_to_pay"),))
        return []


class ActionQueryArrears(AccountAction):
    action_name = "action_query_arrears"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        arrears = gateway.get_arrears(account_no)
        if not arrears.items:
            say(dispatcher, tracker, f"截至{day_label(arrears.as_of)}，您的户号没有欠费。")
            return []
        rows = [
            f"· {month_label(item.period)}电费{money(item.amount)}，已逾期{item.days_overdue}天，违约金{money(item.late_fee)}"
            for item in arrears.items
        ]
        text = (
            f"截至{day_label(arrears.as_of)}，您有{len(arrears.items)}期电费未缴：\n"
            + "\n".join(rows)
            + f"\n合计应缴{money(arrears.total)}（电费{money(arrears.principal)}，违约金{money(arrears.late_fee)}）。"
            "违约金从缴费截止日的次日起按日计算，缴清后不再增加。"
        )
        limit = service_facts().disconnection_after_overdue_days
        if any(item.days_overdue > limit for item in arrears.items):
            text += f"逾期超过{limit}天的欠费，经书面催缴后可能会依规停电，请尽早缴纳。"
        say(dispatcher, tracker, text, buttons=(("缴费方式", "/how_to_pay"),))
        return []


class ActionPaymentHistory(AccountAction):
    action_name = "action_payment_history"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        payments = gateway.payment_history(account_no, limit=6)
        if not payments:
            say(dispatcher, tracker, "没有查到您户号近期的缴费记录。")
            return []
        rows = []
        for payment in payments:
            months = "、".join(short_month(p) for p in payment.periods)
            what = f"，缴{months}电费" if months else ""
            state = "已到账" if payment.credited else "处理中"
            rows.append(
                f"· {day_label(payment.paid_at.date())} {channel_label(payment.channel)} {money(payment.amount)}{what}（{state}）"
            )
        say(dispatcher, tracker, f"您户号最近{len(rows)}笔缴费记录：\n" + "\n".join(rows))
        return []


class ActionPaymentNotReceived(AccountAction):
    """Paid but not credited, or paid but still without power: what the core sees."""

    action_name = "action_payment_not_received"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        diagnosis = gateway.diagnose_payment(account_no)
        payment = diagnosis.last_payment
        if payment is None:
            parts = ["没有查到您户号最近的缴费记录。刚缴的费用到账可能会有几分钟延迟，请保留好缴费凭证。"]
        else:
            state = "已经到账" if payment.credited else "还在处理中，尚未到账"
            parts = [
                (f"您最近一笔缴费是{moment_label(payment.paid_at)}通过{channel_label(payment.channel)}缴纳的"
                 f"{money(payment.amount)}，{state}。")
            ]
        parts.append(f"电表目前{METER_STATES.get(diagnosis.meter_state, '状态未知')}。")
        if diagnosis.expected_reconnect_by:
            parts.append(f"预计{moment_label(diagnosis.expected_reconnect_by)}前恢复供电。")
        parts += diagnosis.advice
        text = "".join(parts)
        unresolved = (payment is not None and not payment.credited) or (
            diagnosis.meter_state.startswith("disconnected") and not diagnosis.expected_reconnect_by
        )
        if unresolved:
            return offer_human(dispatcher, tracker, "no_answer", text)
        say(dispatcher, tracker, text)
        return []
