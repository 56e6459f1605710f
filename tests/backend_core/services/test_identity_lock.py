"""Three failed checks in one conversation lock it for 30 minutes; other conversations are unaffected."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend_core.core.clock import Clock


def test_three_failures_lock_the_conversation_for_thirty_minutes(fresh_db) -> None:
    clock = Clock(fixed=datetime(2026, 11, 20, 10, 0))
    gw = fresh_db.gateway(clock)
    results = [gw.verify_identity("3300012345", "1234", "wechat:abc") for _ in range(3)]
    assert [r.attempts_left for r in results] == [2, 1, 0]
    assert results[-1].reason == "locked" and results[-1].locked_until == datetime(2026, 11, 20, 10, 30)
    right = gw.verify_identity("3300012345", "8000", "wechat:abc")
    assert (right.verified, right.reason) == (False, "locked")
    assert gw.verify_identity("3300012345", "8000", "web:other").verified
    clock.advance(timedelta(minutes=30))
    after = gw.verify_identity("3300012345", "8000", "wechat:abc")
    assert after.verified and gw.is_verified("3300012345", "wechat:abc")


def test_an_unknown_account_fails_like_a_wrong_phone(fresh_db) -> None:
    gw = fresh_db.gateway()
    unknown = gw.verify_identity("3300099999", "8000", "s1")
    wrong = gw.verify_identity("3300012345", "9999", "s2")
    assert (unknown.reason, unknown.attempts_left) == (wrong.reason, wrong.attempts_left) == ("mismatch", 2)
    typo = gw.verify_identity("33000", "80", "s3")
    assert (typo.reason, typo.attempts_left) == ("invalid_input", 3)
