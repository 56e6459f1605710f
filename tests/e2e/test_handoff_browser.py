"""Hand-over end to end in real browsers: a customer in the widget, an agent in the console.

The whole system runs as `make run` starts it (hub, Rasa, actions, core); Debian's Chromium
plays the customer and, in a second browser context with its own cookies, the agent.
Screenshots of each step go to reports/handoff/. Both pages run under the hub's
Content-Security-Policy; a violation reported in either fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.running import RunningSystem

SHOTS = Path(__file__).resolve().parents[2] / "reports" / "handoff"
BOT_TURN_MS = 60_000
CSP_VIOLATIONS: list[str] = []  # what Chromium reported, from every page of this module


def watch_csp(page: Any) -> Any:
    def record(msg: Any) -> None:
        if "Content Security Policy" in msg.text:
            CSP_VIOLATIONS.append(msg.text)

    page.on("console", record)
    return page


@pytest.fixture(autouse=True)
def no_csp_violation() -> Any:
    yield
    assert not CSP_VIOLATIONS, CSP_VIOLATIONS


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def say(page: Any, text: str) -> None:
    """Type a message in the widget and wait for the bot (or the hub) to answer it."""
    before = page.locator(".msg--bot, .msg--system:not(.msg--local), .msg--agent").count()
    page.fill("#input", text)
    page.click("#send")
    page.wait_for_function(
        "n => document.querySelectorAll('.msg--bot, .msg--system:not(.msg--local), .msg--agent').length > n",
        arg=before, timeout=BOT_TURN_MS,
    )


def widget(browser: Any, system: RunningSystem) -> Any:
    page = watch_csp(browser.new_context(viewport={"width": 420, "height": 820}).new_page())
    page.goto(system.url("hub") + "/")
    page.wait_for_selector(".pd-widget[data-state='ready']", state="attached", timeout=BOT_TURN_MS)
    return page


def open_conversation(console: Any, reason: str) -> Any:
    """The newest queued conversation with ``reason`` in the agent's queue, opened."""
    item = console.locator("#queue-queued .queue__item", has_text=reason).last
    item.wait_for(timeout=BOT_TURN_MS)
    item.click()
    console.wait_for_selector("#claim:not([disabled])", timeout=BOT_TURN_MS)
    return item


def claim_and_reply(console: Any, text: str) -> None:
    """Take the open conversation and write to the customer."""
    console.click("#claim")
    console.wait_for_selector("#reply-text:not([disabled])")
    console.fill("#reply-text", text)
    console.click("#reply-send")


@pytest.fixture(scope="module")
def console(browser: Any, system: RunningSystem) -> Any:
    page = watch_csp(browser.new_context(viewport={"width": 1440, "height": 900}).new_page())
    page.goto(system.url("hub") + "/console/")
    page.fill("#login-username", "agent01")
    page.fill("#login-password", "demo-agent-01")
    page.click("#login-submit")
    page.wait_for_selector("#agent-name:has-text('客服01')")
    return page


def test_customer_hands_over_agent_answers_hands_back_and_a_rating_reaches_the_metrics(
    browser: Any, system: RunningSystem, console: Any
) -> None:
    customer = widget(browser, system)
    say(customer, "查一下我上个月电费")
    say(customer, "3300012345")
    say(customer, "8000")
    customer.wait_for_selector(".bill-card", timeout=BOT_TURN_MS)
    shot(customer, "01-customer-bill-card")

    say(customer, "转人工")
    customer.wait_for_selector(".chat__status--queued", timeout=BOT_TURN_MS)
    shot(customer, "02-customer-queued")

    row = open_conversation(console, "客户要求转人工")
    assert "3300****45" in row.locator(".queue__summary").inner_text()
    shot(console, "03-agent-queue-with-reason-and-summary")
    console.click("#claim")
    console.wait_for_selector("#reply-text:not([disabled])")
    console.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('usage-chart'))",
                              timeout=BOT_TURN_MS)
    assert "3300****45" in console.locator("#customer360").inner_text()
    shot(console, "04-agent-claimed-customer-panel")

    customer.wait_for_selector(".chat__status--agent:has-text('客服01')", timeout=BOT_TURN_MS)
    customer.fill("#input", "我家的电费为啥一个月比一个月高")
    customer.click("#send")
    console.wait_for_selector(".t-msg--customer:has-text('一个月比一个月高')", timeout=BOT_TURN_MS)
    console.locator("#suggestions .suggestion__insert").first.click(timeout=BOT_TURN_MS)
    suggested = console.input_value("#reply-text")
    assert suggested.strip(), "the suggestion put nothing in the reply box"
    shot(console, "05-agent-suggestion-inserted")
    console.click("#reply-send")

    customer.wait_for_selector(".msg--agent", timeout=BOT_TURN_MS)
    assert suggested.strip()[:12] in customer.locator(".msg--agent").last.inner_text()
    assert "客服01" in customer.locator(".msg__name").last.inner_text()
    shot(customer, "06-customer-reads-the-agent")

    console.click("#handback")
    console.click("#confirm-ok")
    customer.wait_for_selector(".msg--bot:has-text('智能客服继续为您服务')", timeout=BOT_TURN_MS)
    say(customer, "我家现在欠费吗")
    answer = customer.locator(".msg--bot").last.inner_text()
    assert "欠" in answer or "未缴" in answer, answer
    shot(customer, "07-customer-bot-answers-again")

    second = widget(browser, system)
    say(second, "我要找人工客服")
    second.wait_for_selector(".chat__status--queued", timeout=BOT_TURN_MS)
    open_conversation(console, "客户要求转人工")
    claim_and_reply(console, "您好，我是客服01，请问有什么可以帮您？")
    second.wait_for_selector(".msg--agent", timeout=BOT_TURN_MS)
    console.click("#resolve")
    console.click("#confirm-ok")
    second.wait_for_selector(".csat .csat__star", timeout=BOT_TURN_MS)
    second.locator(".csat__star[data-score='5']").last.click()
    second.locator(".csat__submit").last.click()
    second.wait_for_selector(".csat--done", timeout=BOT_TURN_MS)
    shot(second, "08-customer-rates-five-stars")

    console.click("#nav-metrics")
    console.wait_for_function("() => document.querySelector('#m-csat') && /5/.test(document.querySelector('#m-csat').innerText)",
                              timeout=BOT_TURN_MS)
    console.wait_for_function("() => Chart.getChart(document.getElementById('chart-csat'))")
    numbers = console.evaluate("() => fetch('/api/console/metrics?days=7').then(r => r.json())")
    assert numbers["handoffs_by_reason"].get("requested", 0) >= 2 and numbers["csat_count"] >= 1
    assert "query_bill" in [i["intent"] for i in numbers["top_intents"]]  # what NLU read, via the hub channel
    shot(console, "09-agent-metrics")


def test_markup_from_the_agent_is_shown_as_text_to_the_customer(browser: Any, system: RunningSystem, console: Any) -> None:
    customer = widget(browser, system)
    say(customer, "转人工")
    console.click("#nav-desk")
    open_conversation(console, "客户要求转人工")
    claim_and_reply(console, "<img src=x onerror=alert(1)>请稍等")
    customer.wait_for_selector(".msg--agent", timeout=BOT_TURN_MS)
    assert customer.locator(".msg--agent .msg__text").last.inner_text() == "<img src=x onerror=alert(1)>请稍等"
    assert customer.locator(".chat__log img").count() == 0
    console.click("#resolve")
    console.click("#confirm-ok")
