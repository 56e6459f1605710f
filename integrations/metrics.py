"""The console's numbers: conversations, containment, hand-overs, ratings, intents, waits.

Computed from the stored events and messages of the last ``days`` days, in the
territory's local dates. Containment = conversations active in the window that never
went to the queue in it: the share the bot handled alone.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from integrations.conversations.handoff import LABELS, Reason
from integrations.conversations.states import State
from integrations.conversations.summary import intent_label
from integrations.models import ConversationEvent, Message, Rating, as_utc, utcnow

LOCAL = ZoneInfo("Asia/Shanghai")
TOP_INTENTS = 8
# Turns that say nothing about what customers need.
_NOT_A_NEED = {"affirm", "deny", "inform", "greet", "thank", "goodbye", "cancel", "nlu_fallback", "out_of_scope"}


def metrics(sessions: sessionmaker, days: int) -> dict[str, Any]:
    start = utcnow() - timedelta(days=days)
    with sessions() as session:
        customer_turns = session.execute(
            select(Message.conversation_id, Message.created_at, Message.intent)
            .where(Message.author == "customer", Message.created_at >= start)
        ).all()
        events = session.scalars(
            select(ConversationEvent).where(ConversationEvent.created_at >= start).order_by(ConversationEvent.id)
        ).all()
        ratings = session.scalars(select(Rating).where(Rating.created_at >= start)).all()

    active = {row.conversation_id for row in customer_turns}
    queued = [e for e in events if e.to_state == State.QUEUED and e.from_state == State.BOT]
    handed = {e.conversation_id for e in queued}
    contained = len(active - handed)
    scores = [r.score for r in ratings]
    intents = Counter(row.intent for row in customer_turns if row.intent and row.intent not in _NOT_A_NEED)

    per_day: dict[date, dict[str, set[int] | int]] = defaultdict(lambda: {"conversations": set(), "handoffs": 0})
    for row in customer_turns:
        per_day[_local_date(row.created_at)]["conversations"].add(row.conversation_id)  # type: ignore[union-attr]
    for event in queued:
        per_day[_local_date(event.created_at)]["handoffs"] += 1  # type: ignore[operator]
    today = _local_date(utcnow())
    days_list = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]

    return {
        "days": days,
        "conversations": len(active),
        "contained": contained,
        "containment_rate": round(contained / len(active), 4) if active else None,
        "handoffs": len(queued),
        "handoffs_by_reason": dict(Counter(e.reason for e in queued)),
        "reason_labels": {reason.value: LABELS[reason] for reason in Reason},
        "csat_avg": round(statistics.fmean(scores), 2) if scores else None,
        "csat_count": len(scores),
        "csat_distribution": {str(n): scores.count(n) for n in range(1, 6)},
        "top_intents": [
            {"intent": name, "label": intent_label(name), "count": count} for name, count in intents.most_common(TOP_INTENTS)
        ],
        "median_wait_s": _median_wait(events),
        "per_day": [
            {"date": day.isoformat(), "conversations": len(per_day[day]["conversations"]),  # type: ignore[arg-type]
             "handoffs": per_day[day]["handoffs"]}
            for day in days_list
        ],
    }


def _median_wait(events: list[ConversationEvent]) -> int | None:
    """Median seconds from entering the queue to an agent's claim."""
    waiting_since: dict[int, datetime] = {}
    waits: list[float] = []
    for event in events:
        if event.to_state == State.QUEUED:
            waiting_since[event.conversation_id] = event.created_at
        elif event.to_state == State.AGENT and event.conversation_id in waiting_since:
            waits.append((event.created_at - waiting_since.pop(event.conversation_id)).total_seconds())
    return int(statistics.median(waits)) if waits else None


def _local_date(moment: datetime) -> date:
    return as_utc(moment).astimezone(LOCAL).date()
