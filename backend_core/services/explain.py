"""Why a bill is what it is: the facts behind it, and short Chinese sentences the bot can say.

The comparison is with the three months before and the same month a year
earlier; the tier crossing comes from the year's running total before the
month; the peak share from the register's time-of-use split.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_core import models
from backend_core.billing.engine import ZERO
from backend_core.billing.periods import Period
from backend_core.gateway.interfaces import BillExplanation, MonthUsage
from backend_core.services.bills import get_bill, prior_kwh_this_year
from backend_core.services.context import CoreContext
from backend_core.services.lookup import billing_meter, load_account

SUMMER = frozenset({6, 7, 8, 9})
WINTER = frozenset({12, 1, 2})
NOTABLE_CHANGE_PCT = Decimal(15)
TIER_NAMES = ("第一档", "第二档", "第三档")


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _kwh(value: Decimal) -> str:
    return f"{value.normalize():f}"


def crossed_tiers(prior: Decimal, kwh: Decimal, thresholds: tuple[Decimal, ...]) -> list[int]:
    """Tiers (2, 3) whose lower bound the year's total passed during this month."""
    return [i + 2 for i, bound in enumerate(thresholds) if prior <= bound < prior + kwh]


def peak_share(read: models.MonthlyRead | None) -> Decimal | None:
    if read is None or not read.kwh or read.kwh_peak is None:
        return None
    return _pct(read.kwh_peak + (read.kwh_critical_peak or ZERO), read.kwh)


def explain_bill(session: Session, ctx: CoreContext, account_no: str, period: str | None = None) -> BillExplanation:
    account = load_account(session, account_no)
    bill = get_bill(session, ctx, account.account_no, period)
    this = Period.parse(bill.period)
    meter = billing_meter(account)
    reads = {
        r.period: r
        for r in session.scalars(
            select(models.MonthlyRead).where(
                models.MonthlyRead.meter_id == meter.id,
                models.MonthlyRead.period.in_([str(this.shift(-k)) for k in (0, 1, 2, 3, 12)]),
            )
        )
    }
    totals = dict(
        session.execute(
            select(models.Bill.period, models.Bill.total).where(
                models.Bill.account_no == account.account_no, models.Bill.period.in_(list(reads))
            )
        ).all()
    )

    def usage(p: Period) -> MonthUsage | None:
        read = reads.get(str(p))
        return None if read is None else MonthUsage(period=read.period, kwh=read.kwh, amount=totals.get(read.period))

    previous = [u for u in (usage(this.shift(-k)) for k in (1, 2, 3)) if u is not None]
    last_year = usage(this.shift(-12))
    change = _pct(bill.kwh - previous[0].kwh, previous[0].kwh) if previous and previous[0].kwh else None
    crossed: list[int] = []
    reasons: list[str] = []
    if account.tariff_code == "residential_tiered":
        thresholds = ctx.engine.residential_thresholds(account.large_household_approved)
        prior = prior_kwh_this_year(session, meter.id, this)
        crossed = crossed_tiers(prior, bill.kwh, thresholds)
        for tier in crossed:
            part = (bill.tier_kwh or [ZERO] * 3)[tier - 1]
            price = ctx.engine.tariffs.residential.tier_price(tier - 1)
            reasons.append(
                f"今年累计用电在本月超过了{TIER_NAMES[tier - 2]}上限（{_kwh(thresholds[tier - 2])}度），"
                f"本月有{_kwh(part)}度按{TIER_NAMES[tier - 1]}电价计费"
                f"（每度多{_kwh(price - ctx.engine.tariffs.residential.base_price)}元）。"
            )
        if not crossed and prior >= thresholds[0]:
            tier = 3 if prior >= thresholds[1] else 2
            reasons.append(f"今年累计用电已在{TIER_NAMES[tier - 1]}，本月电量全部按{TIER_NAMES[tier - 1]}电价计费。")
    if change is not None and abs(change) >= NOTABLE_CHANGE_PCT:
        direction = "多" if change > 0 else "少"
        reasons.append(f"本月用电{_kwh(bill.kwh)}度，比上月（{_kwh(previous[0].kwh)}度）{direction}{abs(change)}%。")
        if change > 0 and this.month in SUMMER:
            reasons.append("正值夏季，空调制冷通常会让用电量明显上升。")
        elif change > 0 and this.month in WINTER:
            reasons.append("冬季取暖设备（电暖器、空调制热、电热水器）会让用电量上升。")
    if last_year is not None and last_year.kwh:
        yoy = _pct(bill.kwh - last_year.kwh, last_year.kwh)
        if abs(yoy) >= NOTABLE_CHANGE_PCT:
            reasons.append(f"与去年同月（{_kwh(last_year.kwh)}度）相比{'多' if yoy > 0 else '少'}{abs(yoy)}%。")
    share = peak_share(reads.get(bill.period))
    if account.time_of_use and share is not None:
        reasons.append(f"本月峰时段用电占{share}%，谷时段电价更低，可把洗衣、热水等用电移到22点以后。")
    credit = next((line for line in bill.lines if line.code == "low_income_credit"), None)
    if credit is not None:
        reasons.append(f"已按低保/五保户政策减免{_kwh(credit.kwh or ZERO)}度免费电量，共{-credit.amount}元。")
    if not reasons:
        reasons.append(f"本月用电{_kwh(bill.kwh)}度，与前几个月相比没有明显变化，电费按正常电价计算。")
    return BillExplanation(
        account_no=account.account_no,
        period=bill.period,
        total=bill.total,
        kwh=bill.kwh,
        previous_months=previous,
        same_month_last_year=last_year,
        change_vs_previous_pct=change,
        crossed_tiers=crossed,
        peak_share_pct=share,
        reasons=reasons,
    )
