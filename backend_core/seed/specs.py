"""Who the seeder creates: the demo customers of demo_customers.yml and generated ones.

A :class:`CustomerSpec` says everything the writer needs: identity, supply
point, tariff, load shape, the monthly facts to reproduce (demo) and when each
bill gets paid. The generated population is reproducible: Faker (zh_CN) and
``random`` are seeded, so the same N gives the same customers on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict

import yaml
from faker import Faker

from backend_core.billing.periods import Period
from backend_core.seed.shapes import LoadShape

DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_customers.yml"
DEMO_YEAR = 2026
BILLED_MONTHS = tuple(Period(DEMO_YEAR, m) for m in range(1, 11))  # January..October 2026
DATA_START = date(DEMO_YEAR, 1, 1)


@dataclass(frozen=True)
class PaymentPlan:
    """Pay a bill ``days_after_issue`` days after it is issued, through ``channel``."""

    days_after_issue: int
    channel: str
    at: time = time(20, 15)


@dataclass
class CustomerSpec:
    account_no: str
    name: str
    phone: str
    address: str
    district: str
    area_type: str
    feeder: str
    transformer_area: str
    customer_class: str
    tariff: str
    billing: str
    shape: LoadShape
    time_of_use: bool = False
    persons: int | None = None
    low_income: bool = False
    large_household_approved: bool = False
    id_number: str | None = None
    phase: str = "single"
    # period -> Wh per bucket ("all", "peak"/"valley", or the commercial periods); demo facts only
    targets_wh: dict[Period, dict[str, int]] = field(default_factory=dict)
    payments: dict[Period, PaymentPlan] = field(default_factory=dict)  # bills not listed stay unpaid
    prepaid_balance: Decimal | None = None
    interval_from: date = DATA_START  # hourly load profile kept from this day on
    register_start_kwh: Decimal = Decimal("0")
    power_factor: float = 0.93  # two-part customers: kvarh follows from it

    @property
    def bucket_kind(self) -> str:
        if self.tariff != "residential_tiered":
            return "tou_periods"
        return "residential_tou" if self.time_of_use else "all"


# What demo_customers.yml says in prose under `payments`, as plans. Each bill is
# issued on the 1st of the next month, so day 9 after issue is the 10th.
_EVERY = BILLED_MONTHS
DEMO_PAYMENTS: dict[str, tuple[tuple[Period, ...], PaymentPlan]] = {
    # "every bill January..September paid on the 10th of its due month by WeChat Pay; the October bill is unpaid"
    "3300012345": (BILLED_MONTHS[:9], PaymentPlan(9, "wechat", time(20, 15))),
    # "every bill paid"
    "3300012347": (_EVERY, PaymentPlan(14, "alipay", time(12, 30))),
    "3300012348": (_EVERY, PaymentPlan(17, "bank", time(9, 0))),
    # "January..July paid; the August, September and October bills are unpaid"
    "3300012349": (BILLED_MONTHS[:7], PaymentPlan(14, "counter", time(10, 40))),
    "3301100056789": (_EVERY, PaymentPlan(11, "app", time(21, 5))),
    "3300067890": (_EVERY, PaymentPlan(15, "bank", time(9, 0))),
}
DEMO_SHAPES = {"3300012348": LoadShape("night_home"), "3300067890": LoadShape("shop")}
PERIOD_KEYS = ("critical_peak", "peak", "flat", "valley")


def _targets(raw: dict[str, Any]) -> dict[Period, dict[str, int]]:
    if "monthly_kwh_by_period_2026" in raw:
        return {
            p: {k: int(v) * 1000 for k, v in zip(PERIOD_KEYS, row, strict=True) if v}
            for p, row in zip(BILLED_MONTHS, raw["monthly_kwh_by_period_2026"], strict=True)
        }
    if raw.get("time_of_use"):
        return {
            p: {"peak": int(pv[0]) * 1000, "valley": int(pv[1]) * 1000}
            for p, pv in zip(BILLED_MONTHS, raw["monthly_peak_valley_kwh_2026"], strict=True)
        }
    return {p: {"all": int(kwh) * 1000} for p, kwh in zip(BILLED_MONTHS, raw["monthly_kwh_2026"], strict=True)}


def demo_specs(path: Path = DEMO_FILE) -> list[CustomerSpec]:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    specs = []
    for i, c in enumerate(raw["customers"]):
        paid_periods, plan = DEMO_PAYMENTS.get(c["account_no"], ((), PaymentPlan(0, "wechat")))
        area = c["area"]
        specs.append(
            CustomerSpec(
                account_no=c["account_no"],
                name=c["name"],
                phone=c["phone"],
                address=c["address"],
                district=area["district"],
                area_type=area["type"],
                feeder=area["feeder"],
                transformer_area=area["transformer_area"],
                customer_class=c["class"],
                tariff=c["tariff"],
                billing=c["billing"],
                shape=DEMO_SHAPES.get(c["account_no"], LoadShape("home")),
                time_of_use=bool(c.get("time_of_use", False)),
                persons=c.get("persons"),
                low_income=bool(c.get("low_income", False)),
                large_household_approved=bool(c.get("large_household_approved", False)),
                phase="three" if c["class"] != "residential" else "single",
                targets_wh=_targets(c),
                payments=dict.fromkeys(paid_periods, plan),
                prepaid_balance=Decimal(c["prepaid_balance_yuan"]) if "prepaid_balance_yuan" in c else None,
                register_start_kwh=Decimal(8000 + 1371 * i),
            )
        )
    return specs


def demo_agents(path: Path = DEMO_FILE) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(yaml.safe_load(fh)["agents"])


def demo_planned_outage(path: Path = DEMO_FILE) -> dict[str, Any]:
    """王五's planned outage as demo_customers.yml states it (relative to the seeding moment)."""
    with open(path, encoding="utf-8") as fh:
        customers = yaml.safe_load(fh)["customers"]
    holder = next(c for c in customers if "planned_outage" in c)
    return {"feeder": holder["area"]["feeder"], "area": holder["area"]["transformer_area"], **holder["planned_outage"]}


# -- generated population -------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    district: str
    area_type: str
    feeder: str
    transformer_areas: tuple[str, ...]
    streets: tuple[str, ...]
    village: bool = False


AREAS = (
    Area("城东区", "urban", "城东10kV平阳线", ("平阳路1号台区", "平阳路3号台区"), ("平阳路", "新华路")),
    Area("城东区", "urban", "城东10kV滨河线", ("滨河路2号台区", "东湖路台区"), ("滨河路", "东湖路")),
    Area("城西区", "urban", "城西10kV解放线", ("解放路3号台区", "人民路台区"), ("解放路", "人民路")),
    Area("城西区", "urban", "城西10kV和平线", ("和平里台区", "西山路台区"), ("和平街", "西山路")),
    Area("城南区", "urban", "城南10kV花园线", ("幸福小区台区", "花园新村台区", "南湖路2号台区"), ("花园街道幸福小区", "南湖路")),
    Area("城北区", "urban", "城北10kV建设线", ("建设路台区", "北站路台区"), ("建设路", "北站路")),
    Area("示例县", "rural", "青山10kV石桥线", ("石桥村1号台区", "石桥村2号台区"), ("青山镇石桥村",), village=True),
    Area("示例县", "rural", "青山10kV柳塘线", ("柳塘村台区",), ("青山镇柳塘村",), village=True),
    Area("示例县", "remote", "白云10kV山岭线", ("岭头村台区", "云溪村台区"), ("白云乡岭头村", "白云乡云溪村"), village=True),
)
INDUSTRIAL_AREA = Area("城北区", "urban", "城北10kV工业线", ("工业园区1号专变",), ("工业大道",))
SHOP_WORDS = ("便利店", "小吃店", "理发店", "五金店", "水果店", "药店", "面馆", "打印店", "花店", "早餐店")
FACTORY_WORDS = ("机械制造有限公司", "纺织有限公司", "食品有限公司", "塑料制品有限公司", "包装材料有限公司")
CHANNELS = ("wechat", "wechat", "alipay", "alipay", "bank", "app", "counter")


def generated_account_no(i: int) -> str:
    """10-digit 户号 for most, 13-digit (the SGCC migration) for every fifth; never a demo number."""
    return f"3301{300000000 + i:09d}" if i % 5 == 4 else f"{3320000000 + i:010d}"


def _address(rng: random.Random, area: Area) -> str:
    street = rng.choice(area.streets)
    if area.village:
        return f"示例县{street}{rng.randint(1, 9)}组{rng.randint(1, 60)}号"
    if street.endswith("小区"):
        return f"示例市{area.district}{street}{rng.randint(1, 24)}栋{rng.randint(1, 18)}{rng.randint(1, 4):02d}"
    return (
        f"示例市{area.district}{street}{rng.randint(1, 300)}号{rng.randint(1, 6)}单元"
        f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}"
    )


def _plans(rng: random.Random, habit: str) -> dict[Period, PaymentPlan]:
    """Payment habits: most pay on time; some pay late (and are charged late fees); some owe."""
    channel = rng.choice(CHANNELS)
    plans: dict[Period, PaymentPlan] = {}
    unpaid_tail = rng.randint(1, 3) if habit == "owes" else 0
    for period in BILLED_MONTHS[: len(BILLED_MONTHS) - unpaid_tail]:
        late = habit == "late" and rng.random() < 0.5
        day = rng.randint(24, 40) if late else rng.randint(3, 18)
        plans[period] = PaymentPlan(day, channel, time(rng.randint(8, 21), rng.choice((0, 15, 30, 45))))
    return plans


class _Common(TypedDict):
    """The fields every generated customer has, whatever its kind."""

    account_no: str
    phone: str
    address: str
    district: str
    area_type: str
    feeder: str
    transformer_area: str
    interval_from: date
    register_start_kwh: Decimal


def generated_specs(count: int, seed: int = 20260101, interval_from: date = date(DEMO_YEAR, 8, 1)) -> list[CustomerSpec]:
    """``count`` reproducible customers: households (some prepaid, TOU, night-heavy), shops, factories."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    specs = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.02:
            area, kind = INDUSTRIAL_AREA, "factory"
        elif roll < 0.12:
            area, kind = rng.choice(AREAS), "shop"
        else:
            area, kind = rng.choice(AREAS), "night_home" if rng.random() < 0.15 else "home"
        habit = rng.choices(("on_time", "late", "owes"), weights=(80, 10, 10))[0]
        common: _Common = {
            "account_no": generated_account_no(i),
            "phone": fake.phone_number(),
            "address": _address(rng, area),
            "district": area.district,
            "area_type": area.area_type,
            "feeder": area.feeder,
            "transformer_area": rng.choice(area.transformer_areas),
            "interval_from": interval_from,
            "register_start_kwh": Decimal(rng.randint(1000, 60000)),
        }
        if kind == "factory":
            spec = CustomerSpec(
                name=fake.city_name() + rng.choice(FACTORY_WORDS),
                customer_class="large_industrial",
                tariff="large_industrial_two_part",
                billing="postpaid",
                shape=LoadShape("factory", scale_kw=rng.uniform(250, 900)),
                phase="three",
                power_factor=rng.uniform(0.84, 0.97),
                payments=_plans(rng, habit),
                **common,
            )
        elif kind == "shop":
            spec = CustomerSpec(
                name=fake.last_name() + "记" + rng.choice(SHOP_WORDS),
                customer_class="commercial",
                tariff="commercial_single_part",
                billing="postpaid",
                shape=LoadShape("shop", scale_kw=rng.uniform(2.0, 9.0)),
                phase="three",
                payments=_plans(rng, habit),
                **common,
            )
        else:
            persons = rng.choices((1, 2, 3, 4, 5, 6), weights=(10, 25, 30, 20, 10, 5))[0]
            prepaid = rng.random() < 0.15
            spec = CustomerSpec(
                name=fake.name(),
                id_number=fake.ssn(),
                customer_class="residential",
                tariff="residential_tiered",
                billing="prepaid" if prepaid else "postpaid",
                shape=LoadShape(kind, scale_kw=rng.uniform(0.15, 0.45) * (1 + 0.15 * persons)),
                time_of_use=kind == "night_home" and rng.random() < 0.5,
                persons=persons,
                low_income=rng.random() < 0.03,
                large_household_approved=persons >= 5 and rng.random() < 0.6,
                payments={} if prepaid else _plans(rng, habit),
                prepaid_balance=Decimal(rng.choice(("-3.20", "6.80", "24.50", "58.00", "126.30"))) if prepaid else None,
                **common,
            )
        specs.append(spec)
    return specs
