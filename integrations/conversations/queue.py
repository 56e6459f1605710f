"""Order of the waiting conversations, each one's position, estimated wait and SLA colour.

Priority first (hazard, complaint, identity lockout, others: handoff.PRIORITY), then
the longest wait. A conversation that waited past the SLA moves up one priority level,
so a long-waiting customer with an ordinary question is not overtaken for ever by later
complaints, and the console shows it in red.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from integrations.models import Conversation, as_utc


@dataclass(frozen=True)
class Waiting:
    conversation: Conversation
    position: int  # 1 = next to be served
    waiting_s: int
    sla_breached: bool
    priority: int  # after the SLA boost; 0 is the most urgent


def waited_s(conversation: Conversation, now: datetime) -> int:
    start = conversation.queued_at or conversation.updated_at
    return max(0, int((now - as_utc(start)).total_seconds()))


def ordered(queued: list[Conversation], now: datetime, sla_wait_s: int) -> list[Waiting]:
    """The queued conversations in serving order, with their positions."""
    rows = []
    for conversation in queued:
        waiting = waited_s(conversation, now)
        breached = waiting >= sla_wait_s
        rows.append((max(0, conversation.priority - 1) if breached else conversation.priority, -waiting, conversation.id,
                     conversation, waiting, breached))
    rows.sort(key=lambda row: row[:3])
    return [
        Waiting(conversation=row[3], position=index, waiting_s=row[4], sla_breached=row[5], priority=row[0])
        for index, row in enumerate(rows, start=1)
    ]


def eta_s(position: int, agents_online: int, handle_time_s: int) -> int:
    """Estimated wait: the customers ahead, shared among the agents online, times a handling time."""
    ahead = max(0, position - 1)
    return int(math.ceil(ahead / max(1, agents_online)) * handle_time_s)


def wait_words(position: int, eta: int) -> str:
    """What the customer reads about their place in the queue."""
    if position <= 1:
        return "您是下一位，客服马上为您接入。"
    minutes = max(1, round(eta / 60))
    return f"您前面还有{position - 1}位客户，预计等待约{minutes}分钟。"

