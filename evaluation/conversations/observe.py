"""What the bot did after one customer message, read from its replies, Rasa's tracker
and the core: the facts the checks of FORMAT.md are judged on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

TICKET = re.compile(r"GD\d{12}")
CITATION = re.compile(r"来源[:：]?\s*《")
NOT_UNDERSTOOD_ACTIONS = frozenset({"action_handle_fallback"})
OUT_OF_SCOPE_ACTION = "action_out_of_scope"
# Actions that give each kind of answer about an account (FORMAT.md, "Answer kinds").
ANSWER_ACTIONS = {
    "bill": ("action_query_bill",),
    "balance": ("action_query_balance",),
    "arrears": ("action_query_arrears",),
    "usage": ("action_query_usage",),
    "tier_status": ("action_query_tier_status",),
    "explain_bill": ("action_explain_bill",),
    "payment_history": ("action_payment_history",),
    "payment_diagnosis": ("action_payment_not_received",),
    "tou_advice": ("action_tou_advice",),
    "ticket_status": ("action_ticket_status",),
    "outage_status": ("action_diagnose_outage", "action_restore_time"),
    "planned_outages": ("action_planned_outages",),
}
# Account answers wait for identity: such an action that set pending_action to itself
# only asked for identity, it did not answer.
GATED_ACTIONS = frozenset(a for kind in ("bill", "balance", "arrears", "usage", "tier_status", "explain_bill",
                                         "payment_history", "payment_diagnosis", "tou_advice") for a in ANSWER_ACTIONS[kind])
# Requests that are account answers: in progress while pending_action names their action.
REQUEST_ACTIONS = {
    "query_bill": "action_query_bill",
    "query_balance": "action_query_balance",
    "query_arrears": "action_query_arrears",
    "query_usage": "action_query_usage",
    "query_tier_status": "action_query_tier_status",
    "explain_high_bill": "action_explain_bill",
    "query_payment_history": "action_payment_history",
    "payment_not_received": "action_payment_not_received",
    "ask_tou_advice": "action_tou_advice",
    "bind_account": "action_bind_account",
}
COMPLAINT_FORM = "complaint_form"
# Actions that read an account's figures: only their replies can disclose them.
ACCOUNT_DATA_ACTIONS = frozenset(a for kind in ANSWER_ACTIONS.values() for a in kind) | {"action_bind_account"}
# Markdown emphasis is **text**; a masked number (138****8000) is not markup.
MARKUP = re.compile(r"第[一二三四五六七八九十百零〇两\d]+条|\||-{3,}|^\s*#|\*\*[^*\d][^*]*\*\*", re.MULTILINE)


@dataclass
class TurnObservation:
    """One customer message and what followed it."""

    user: str
    replies: list[dict[str, Any]]
    tracker: dict[str, Any]
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # tickets new in this turn -> order

    @property
    def text(self) -> str:
        return "\n".join(r.get("text") or "" for r in self.replies)

    @property
    def flat_text(self) -> str:
        """The reply without spaces and without thousands separators (1,234.56 -> 1234.56)."""
        return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\s+", "", self.text))

    @property
    def slots(self) -> dict[str, Any]:
        return self.tracker.get("slots") or {}

    @property
    def active_loop(self) -> str | None:
        return (self.tracker.get("active_loop") or {}).get("name")

    @property
    def requested(self) -> str | None:
        return self.slots.get("requested_slot") if self.active_loop else None

    @property
    def turn_events(self) -> list[dict[str, Any]]:
        """Tracker events since the customer's message."""
        events = self.tracker.get("events") or []
        last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
        return events[last_user + 1 :]

    @property
    def actions(self) -> list[str]:
        return [e["name"] for e in self.turn_events if e.get("event") == "action"]

    @property
    def tickets(self) -> set[str]:
        """Work-order numbers in the reply, also when read out digit by digit (G D 2 0 2 6…)."""
        return set(TICKET.findall(re.sub(r"(?<=[GD\d])\s+(?=[D\d])", "", self.text)))

    @property
    def read_account_data(self) -> bool:
        """An account action answered (a computed example with its own numbers, which the
        account actions also answer, cites the rule's document; account answers never do)."""
        return bool(ACCOUNT_DATA_ACTIONS & set(self.actions)) and not self.cited

    @property
    def handed_over(self) -> bool:
        return any(isinstance(r.get("custom"), dict) and "handoff" in r["custom"] for r in self.replies)

    @property
    def cited(self) -> bool:
        return bool(CITATION.search(self.text))

    def answered_with(self, action: str) -> bool:
        """Whether ``action`` ran in this turn and gave its answer (not only asked for identity)."""
        events = self.turn_events
        for index, event in enumerate(events):
            if event.get("event") == "action" and event.get("name") == action:
                if action not in GATED_ACTIONS:
                    return True
                after = events[index + 1 :]
                nxt = next((i for i, e in enumerate(after) if e.get("event") == "action"), len(after))
                gated = any(e.get("event") == "slot" and e.get("name") == "pending_action" and e.get("value") == action
                            for e in after[:nxt])
                if not gated:
                    return True
        return False

    def working_on(self, request: str) -> bool:
        """Whether the bot is collecting identity or details for ``request``, or finished it in this turn."""
        slots = self.slots
        if slots.get("service_task") == request:
            return True
        action = REQUEST_ACTIONS.get(request)
        if action and (slots.get("pending_action") == action or self.answered_with(action)):
            return True
        if request == "complain" and (self.active_loop == COMPLAINT_FORM or "action_submit_complaint" in self.actions):
            return True
        return any(order.get("type") == request for order in self.orders.values())

    @property
    def not_understood(self) -> bool:
        if NOT_UNDERSTOOD_ACTIONS & set(self.actions):
            return True
        return OUT_OF_SCOPE_ACTION in self.actions and not self.cited

    @property
    def offered_human(self) -> bool:
        return self.slots.get("handoff_offer") is not None or self.handed_over
