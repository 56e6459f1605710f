"""Numbers, dates and periods written the way a Chinese utility bill writes them."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from actions.kernel.clock import LOCAL_TZ

PAYMENT_CHANNELS = {
    "wechat": "微信支付",
    "alipay": "支付宝",
    "bank": "银行代扣",
    "counter": "营业厅柜台",
    "app": "网上国网APP",
}
METER_STATES = {
    "online": "运行正常",
    "offline": "通信暂时中断",
    "disconnected_arrears": "因欠费已停电",
    "disconnected_negative_balance": "因余额不足已停电",
}
TIER_NAMES = {1: "第一档", 2: "第二档", 3: "第三档"}


def money(amount: Decimal) -> str:
    """139.88元, with two decimals as on the bill."""
    return f"{Decimal(amount).quantize(Decimal('0.01')):,.2f}元"


def yuan(amount: Decimal) -> str:
    """A fee or a threshold as people say it: 30元, 1.50元 (a bill's figures use :func:`money`)."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    return f"{value:.0f}元" if value == value.to_integral_value() else f"{value:.2f}元"


def kwh(value: Decimal) -> str:
    """260度 (一度电 = 1 kWh), to the whole kWh as a bill shows it."""
    return f"{int(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)):,}度"


def price(value: Decimal) -> str:
    """0.538元/度: the tariff's own precision, without trailing zeros."""
    text = f"{Decimal(value).normalize():f}"
    return f"{text}元/度"


def month_label(period: str) -> str:
    """'2026-10' -> '2026年10月'."""
    year, month = period.split("-")
    return f"{int(year)}年{int(month)}月"


def short_month(period: str) -> str:
    """'2026-10' -> '10月'."""
    return f"{int(period.split('-')[1])}月"


def day_label(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def time_label(value: datetime) -> str:
    """The local time of day as people write it: 8:05, not 08:05."""
    local = value.astimezone(LOCAL_TZ) if value.tzinfo else value
    return f"{local.hour}:{local.minute:02d}"


def moment_label(value: datetime) -> str:
    """Local time as people write it, e.g. 11月21日 8:00."""
    local = value.astimezone(LOCAL_TZ) if value.tzinfo else value
    return f"{local.month}月{local.day}日 {time_label(local)}"


_FEEDER = re.compile(r"^[\u4e00-\u9fff]*?\d+[kK][vV][\u4e00-\u9fff]*?线\s*")
_AREA_NUMBER = re.compile(r"\d+号台区|台区")


def plain_area(scope: str) -> str:
    """The streets and communities an outage covers, without grid names: 城南10kV花园线
    （南湖路2号台区、幸福小区台区） -> 南湖路、幸福小区一带."""
    inner = re.search(r"[（(](.+?)[）)]", scope)
    places = inner.group(1) if inner else _FEEDER.sub("", scope)
    names = [_AREA_NUMBER.sub("", p).strip() for p in re.split(r"[、,，\s]+", places)]
    names = [n for n in dict.fromkeys(names) if n and not n.startswith("等")]
    return ("、".join(names) + "一带") if names else "您所在的片区"


def plain_reason(reason: str) -> str:
    """台区低压电缆故障 -> 附近低压电缆故障."""
    return reason.replace("台区", "附近")


def channel_label(channel: str) -> str:
    return PAYMENT_CHANNELS.get(channel, channel)


def masked_phone(phone: str) -> str:
    """138****8000: enough for the customer to recognise the number, useless to anyone else."""
    return phone[:3] + "****" + phone[-4:]
