"""Main conversations driven over HTTP through the real hub, Rasa server, action server and core.

Figures come from the demo database (../shared/spec/demo_customers.yml) computed by the
billing engine; "today" is the real date, so the demo year is 2026 and the latest bill is
October's.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from scripts.running import RunningSystem


@pytest.fixture(scope="module", params=["make run", "make run-scaled"])
def system(request: pytest.FixtureRequest) -> RunningSystem:
    """Every conversation on the embedded system and again through the scaled one, where
    consecutive turns land on different replicas."""
    return request.getfixturevalue("embedded_system" if request.param == "make run" else "scaled_system")


class Chat:
    """One customer on the web widget."""

    def __init__(self, system: RunningSystem, channel: str = "web") -> None:
        self.url = system.url("hub") + "/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex[:12]}"
        self.channel = channel
        self.replies: list[dict[str, Any]] = []

    def say(self, text: str) -> str:
        response = httpx.post(
            self.url, json={"sender": self.sender, "message": text, "metadata": {"channel": self.channel}}, timeout=90
        )
        assert response.status_code == 200, response.text
        self.replies = response.json()
        return "\n".join(r.get("text") or "" for r in self.replies)

    def verify(self, account_no: str, last4: str) -> str:
        self.say(account_no)
        return self.say(last4)


def test_bill_of_last_month_after_verification(system: RunningSystem) -> None:
    chat = Chat(system)
    asked = chat.say("上个月电费多少钱")
    assert "户号" in asked
    answer = chat.verify("3300012345", "8000")
    # 张三, October 2026: 260 kWh, all in tier 2 (2,820 kWh used before) → 260 × 0.588
    assert "152.88" in answer, answer


@pytest.mark.parametrize(
    "question, account_no, wrong_last4, secrets",
    [
        ("上个月电费多少", "3300012345", "1234", ["152.88", "张", "平阳路", "13800138000", "8000"]),
        ("我的电费余额还剩多少", "3300012346", "0000", ["8.50", "李", "解放路", "9001"]),
        ("我家欠了多少电费", "3300012349", "4321", ["钱", "石桥村", "5004", "违约金"]),
    ],
)
def test_wrong_last4_reveals_nothing(
    system: RunningSystem, question: str, account_no: str, wrong_last4: str, secrets: list[str]
) -> None:
    chat = Chat(system)
    chat.say(question)
    chat.say(account_no)
    answer = chat.say(wrong_last4)
    for secret in secrets:
        assert secret not in answer, (secret, answer)
    assert re.search(r"不一致|不匹配|有误|未能|失败", answer), answer


def test_three_failures_lock_verification_and_offer_a_human(system: RunningSystem) -> None:
    chat = Chat(system)
    chat.say("查一下我的电费")
    chat.say("3300012345")
    for wrong in ("1111", "2222"):
        chat.say(wrong)
        chat.say("3300012345")
    locked = chat.say("3333")
    assert "人工" in locked, locked
    # even the right digits are refused now, and nothing leaks
    chat.say("查一下我的电费")
    answer = chat.verify("3300012345", "8000")
    assert "152.88" not in answer


def test_prepaid_balance_with_its_alert(system: RunningSystem) -> None:
    chat = Chat(system)
    chat.say("电费还剩多少")
    answer = chat.verify("3300012346", "9001")
    assert "8.50" in answer, answer


def test_arrears_with_late_fee(system: RunningSystem) -> None:
    chat = Chat(system)
    chat.say("我家有没有欠费")
    answer = chat.verify("3300012349", "5004")
    assert "违约金" in answer and re.search(r"\d+\.\d\d", answer), answer


def test_planned_outage_by_address_for_anyone(system: RunningSystem) -> None:
    chat = Chat(system)
    asked = chat.say("最近有没有停电计划")
    assert "地址" in asked, asked
    answer = chat.say("城南区花园街道幸福小区6栋")
    # 王五's feeder has planned maintenance 3 days after seeding, 08:00-17:00
    assert "检修" in answer and "8:00" in answer and "17:00" in answer, answer


def test_planned_outage_for_a_verified_customers_own_feeder(system: RunningSystem) -> None:
    chat = Chat(system)
    chat.say("上个月电费多少")
    chat.verify("3300012347", "7002")
    answer = chat.say("最近有没有停电计划")
    assert "检修" in answer and "8:00" in answer, answer


def test_policy_question_is_answered_with_its_source(system: RunningSystem) -> None:
    chat = Chat(system)
    answer = chat.say("家里人口多，一户多人口怎么申请")
    assert "来源" in answer and "《" in answer, answer


def test_another_utilitys_question_is_not_answered_from_our_documents(system: RunningSystem) -> None:
    answer = Chat(system).say("燃气费在哪里交")
    assert "来源" not in answer, answer  # never a citation of our documents for gas
    assert "不在我的服务范围" in answer or "没有找到确切的答案" in answer, answer


def test_asking_for_a_human_hands_the_conversation_over(system: RunningSystem) -> None:
    chat = Chat(system)
    chat.say("转人工")
    assert any((r.get("custom") or {}).get("handoff") for r in chat.replies) or "人工" in chat.say("人呢")


@pytest.mark.parametrize(
    "text",
    ["", "电" * 5000, "😡😡😡", "1234567", "<script>alert('x')</script>", "hello 我的bill怎么这么high？", "\u0000\ufffd\u202e"],
)
def test_bad_input_gets_a_sensible_reply(system: RunningSystem, text: str) -> None:
    chat = Chat(system)
    answer = chat.say(text)
    assert answer.strip(), chat.replies
    assert "Traceback" not in answer and "Error" not in answer


def test_voice_channel_replies_are_speakable(system: RunningSystem) -> None:
    chat = Chat(system, channel="voice")
    chat.say("你好")
    for reply in chat.replies:
        assert not reply.get("buttons")
        assert not re.search(r"https?://|[*#`]|[\U0001F300-\U0001FAFF]", reply.get("text") or "")
