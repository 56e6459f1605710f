"""A prepaid meter through the services: below 0, notice, 08:00 cut-off, payment, reconnection."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from backend_core import models
from backend_core.core.clock import Clock
from backend_core.services.context import CoreContext
from backend_core.services.prepaid import deduct_prepaid


def test_negative_balance_cuts_off_at_eight_and_a_payment_reconnects(fresh_db) -> None:
    clock = Clock(fixed=datetime(2026, 11, 21, 1, 0))
    gw = fresh_db.gateway(clock)
    with fresh_db.factory.begin() as session:
        account = session.get(models.Account, "3300012346")
        deduct_prepaid(session, CoreContext(clock=clock), account, clock.now(), Decimal("9.70"))
    status = gw.get_prepaid_status("3300012346")
    assert (status.balance, status.alert_level, status.meter_state) == (Decimal("-1.20"), "negative", "online")
    assert status.disconnect_at == datetime(2026, 11, 22, 8, 0)
    clock.advance(timedelta(days=1, hours=7, minutes=30))  # 22 Nov 08:30
    assert gw.diagnose_outage("3300012346").cause == "prepaid_cutoff"
    clock.advance(timedelta(hours=1))
    gw.post_payment("3300012346", Decimal("50.00"), "wechat", "topup-after-cutoff")
    diagnosis = gw.diagnose_payment("3300012346")
    assert diagnosis.expected_reconnect_by == datetime(2026, 11, 22, 10, 30)
    assert diagnosis.meter_state == "online" and diagnosis.balance_or_arrears == Decimal("48.80")
