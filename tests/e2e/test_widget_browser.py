"""The web chat widget in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

from scripts.running import RunningSystem


def test_customer_types_a_question_and_reads_the_answer(system: RunningSystem, browser, tmp_path) -> None:
    page = browser.new_page()
    page.goto(system.url("hub") + "/")
    assert "在线客服" in page.title()
    page.fill("#input", "你好")
    page.click("#send")
    page.wait_for_selector(".msg--customer")
    bot_turns = page.locator(".msg--bot")
    page.wait_for_function("() => document.querySelectorAll('.msg--bot').length >= 2", timeout=60_000)
    answer = bot_turns.nth(1).inner_text()
    assert answer.strip(), "the bot's answer is empty"
    page.screenshot(path=str(tmp_path / "widget.png"))


def test_markup_typed_by_a_customer_is_shown_as_text(system: RunningSystem, browser) -> None:
    page = browser.new_page()
    page.goto(system.url("hub") + "/")
    page.fill("#input", "<img src=x onerror=alert(1)>电费")
    page.click("#send")
    page.wait_for_function("() => document.querySelectorAll('.msg--bot').length >= 2", timeout=60_000)
    assert page.locator(".msg--customer").first.inner_text() == "<img src=x onerror=alert(1)>电费"
    assert page.locator(".chat__log img").count() == 0
