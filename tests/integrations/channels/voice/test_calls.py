"""Whole calls on the voice line, as a caller lives them: the real hub and database,
jambonz played by tests/.../line.py, the bot by a script answering like the real one."""

from __future__ import annotations

from typing import Any

from integrations.channels.voice.calls import GIVE_UP, GOODBYE, LINE_BUSY, MENU
from integrations.conversations.desk import NO_AGENT_ONLINE
from tests.integrations.channels.voice.line import Line, apologised

ASK_ACCOUNT = "为保护您的用电信息，请先提供户号（10位或13位数字，电费通知单和缴费凭证上都有）和登记手机号的后4位。"
ASK_LAST4 = "请再告诉我该户号登记手机号的后4位，用于核验身份。"
BILL = "您2026年10月的电费为¥152.88，用电260.5 kWh，请于2026-11-25前缴清。"
OUTAGE = ("您所在的区域今天有计划停电。停电时间为08:00-17:00，原因是线路检修。"
          "检修完成后会尽快恢复供电，请提前做好准备。如果到了时间还没有来电，可以说“报修”。")
HANDOFF: list[dict[str, Any]] = [
    {"text": "好的，正在为您转接人工客服，请稍候。"}, {"custom": {"handoff": {"reason": "requested"}}},
]


def bot(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The bot's side of the calls below."""
    script: dict[str, list[dict[str, Any]]] = {
        "查电费": [{"text": ASK_ACCOUNT}],
        "3300012345": [{"text": ASK_LAST4}],
        "8000": [{"text": BILL}],
        "我家停电了": [{"text": OUTAGE}],
        "我要查电费": [{"text": "好的，请问要查哪个月的电费？"}],
        "转人工": HANDOFF,
        "/affirm": [{"text": "好的，已为您登记回电，客服上线后会尽快给您打电话。"}],
    }
    return script.get(body["message"], [{"text": "抱歉，我没太明白。"}])


def said_to_bot(h: Any) -> list[str]:
    return [body["message"] for body in h.rasa.seen]


def test_bill_query_with_the_account_keyed_in_read_back_and_confirmed(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    assert "这里是9 5 5 9 8供电服务热线" in line.heard and "查电费请按1" in line.heard
    gather = line.verb("gather")
    assert gather["input"] == ["speech", "digits"] and gather["recognizer"]["language"] == "zh-CN"
    assert {"电费", "欠费", "停电", "户号"} <= set(gather["recognizer"]["hints"]) and gather["bargein"]

    line.press("1")
    assert said_to_bot(h) == ["查电费"]
    assert "请先提供户号" in line.heard and "按井号键" in line.heard
    assert line.verb("gather")["finishOnKey"] == "#"

    line.press("3300012345")
    assert line.heard == "您输入的户号是 3 3 0 0 0 1 2 3 4 5，正确请按1，重新输入请按2。"
    assert said_to_bot(h) == ["查电费"]  # not before the caller confirms

    line.press("1")
    assert said_to_bot(h)[-1] == "3300012345"
    assert "后4位" in line.heard

    line.press("8000")
    assert "8 0 0 0" in line.heard
    line.press("1")
    assert said_to_bot(h) == ["查电费", "3300012345", "8000"]
    assert line.heard == "您2026年10月的电费为152元8角8分，用电260.5度，请于2026年11月25日前缴清。"
    assert all(body["metadata"]["channel"] == "voice" and body["sender"] == "voice:CA0001" for body in h.rasa.seen)


def test_a_wrong_number_is_keyed_again_after_pressing_2(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.press("1")
    line.press("33000")
    assert "户号是10位或13位数字" in line.heard  # too short: asked again, nothing sent
    line.press("3300012346")
    line.press("2")
    assert "请重新输入户号" in line.heard
    line.say("三三零零零幺二三四五")  # said this time, digits read one by one
    assert "3 3 0 0 0 1 2 3 4 5" in line.heard
    line.say("对的")
    assert said_to_bot(h) == ["查电费", "3300012345"]


def test_outage_reported_by_speech_is_read_in_pieces(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.say(("我家停电了", 0.91))
    assert said_to_bot(h) == ["我家停电了"]
    first = line.heard
    assert first.startswith("您所在的区域今天有计划停电。停电时间为8点到17点") and first.endswith(
        "需要继续听请说“继续”，或按星号键。"
    )
    assert "报修" not in first  # the rest waits

    line.say("继续")
    assert "报修" in line.heard and "继续听" not in line.heard
    assert said_to_bot(h) == ["我家停电了"]  # "继续" moved the reading on, it did not reach the bot


def test_unsure_recognition_asks_again_twice_then_queues_for_an_agent(hub) -> None:
    h = hub(bot)
    agent = h.login()
    line = Line(h.client)
    line.dial()
    for _ in range(2):
        line.say(("嗯那个我想问一下", 0.31))
        assert line.heard.startswith("抱歉，我没有听清。请您再说一遍")
    line.say(("嗯那个我想问一下", 0.28))
    assert GIVE_UP in line.heard and "您是下一位" in line.heard
    assert line.verb("enqueue")["name"] == "95598"
    assert said_to_bot(h) == []  # nothing unsure was ever passed on as the caller's words
    (row,) = agent.call("GET", "/api/console/queue").json()["conversations"]
    assert row["channel"] == "voice" and row["reason"] == "fallback"


def test_the_nbest_list_and_homophones_give_the_bot_the_domain_word(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.say(("我家听得了", 0.70), ("我家停电了", 0.62))  # the second names 停电: it wins
    assert said_to_bot(h) == ["我家停电了"]
    line.say(("我要查点费", 0.88))  # 点费 sounds like 电费
    assert said_to_bot(h)[-1] == "我要查电费"
    assert "哪个月" in line.heard


def test_hand_over_ends_in_the_jambonz_queue_and_the_console_queue(hub) -> None:
    h = hub(bot)
    agent = h.login()
    line = Line(h.client)
    line.dial()
    line.press("0")
    assert said_to_bot(h) == [MENU["0"]]
    assert "正在为您转接人工客服" in line.heard and "您是下一位" in line.heard
    assert [v["verb"] for v in line.verbs] == ["say", "tag", "enqueue"]
    context, enqueue = line.verb("tag")["data"], line.verb("enqueue")
    assert enqueue["name"] == "95598" and enqueue["priority"] == 3
    assert context["handoff_reason"] == "requested" and "电话客户" in context["summary"]

    (row,) = agent.call("GET", "/api/console/queue").json()["conversations"]
    assert row["id"] == context["conversation_id"] and row["channel"] == "voice" and row["state"] == "queued"

    while_waiting = line.wait_in_queue()
    assert [v["verb"] for v in while_waiting] == ["say", "pause"] and "您是下一位" in while_waiting[0]["text"]
    assert agent.call("POST", f"/api/console/conversations/{row['id']}/claim").status_code == 200
    assert [v["verb"] for v in line.wait_in_queue()] == ["pause"]  # claimed: no more places to announce

    line.leave_queue("bridged")  # an agent took the call, and it is over
    assert line.heard == GOODBYE and line.verbs[-1]["verb"] == "hangup"


def test_with_a_sip_line_the_hand_over_dials_the_agents_with_the_context(hub) -> None:
    h = hub(bot, voice_agent_sip_uri="sip:agents@pbx.example.cn")
    h.login()
    line = Line(h.client)
    line.dial()
    line.press("0")
    dial = line.verb("dial")
    assert dial["target"] == [{"type": "sip", "sipUri": "sip:agents@pbx.example.cn"}]
    conversation = h.desk.store.find("voice", "CA0001")
    assert dial["headers"] == {"X-Conversation-Id": str(conversation.id), "X-Handoff-Reason": "requested"}

    line.agent_line_ends("busy")  # nobody picked up: wait in the queue instead
    assert line.heard == LINE_BUSY and line.verb("enqueue")["name"] == "95598"


def test_with_no_agent_online_the_call_back_offer_is_answered_with_a_key(hub) -> None:
    h = hub(bot)  # nobody logged in
    line = Line(h.client)
    line.dial()
    line.say("转人工")
    assert NO_AGENT_ONLINE in line.heard and "需要按1，不用了按2" in line.heard
    assert "enqueue" not in [v["verb"] for v in line.verbs]
    line.press("1")
    assert said_to_bot(h) == ["转人工", "/affirm"]  # the key stands for the button
    assert "已为您登记回电" in line.heard


def test_a_spoken_choice_is_sent_as_its_button(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.say("转人工")
    line.silence()  # the offer is repeated, not the main menu
    assert "您可以说“需要”、“不用了”" in line.heard and "查电费请按1" not in line.heard
    line.say("需要")
    assert said_to_bot(h)[-1] == "/affirm"


def test_hanging_up_closes_the_conversation_without_asking_for_a_rating(hub) -> None:
    h = hub(bot)
    agent = h.login()
    line = Line(h.client)
    line.dial()
    line.press("0")
    assert agent.call("GET", "/api/console/queue").json()["conversations"]

    line.hang_up("completed")
    conversation = h.desk.store.find("voice", "CA0001")
    assert conversation.state == "closed" and not conversation.csat_pending
    last = h.desk.store.events(conversation.id)[-1]
    assert (last.from_state, last.to_state, last.actor, last.reason) == ("queued", "closed", "customer", "hangup")
    assert agent.call("GET", "/api/console/queue").json()["conversations"] == []
    line.hang_up("completed")  # jambonz may say it twice: nothing more happens
    assert len(h.desk.store.events(conversation.id)) == 2


def test_a_caller_who_hangs_up_while_the_bot_answers_closes_it_too(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.say("我家停电了")
    line.hang_up("no-answer")
    assert h.desk.store.find("voice", "CA0001").state == "closed"


def test_silence_is_asked_about_twice_then_the_line_says_goodbye(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.silence()
    line.silence()
    assert "请问还有什么可以帮您" in line.heard
    line.silence()
    assert line.heard == GOODBYE and line.verbs[-1]["verb"] == "hangup"
    assert said_to_bot(h) == []


def test_a_number_the_caller_does_not_know_goes_to_the_bot_as_a_question(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.press("1")
    line.say("我不知道户号在哪里看")
    assert said_to_bot(h) == ["查电费", "我不知道户号在哪里看"]


def test_an_unknown_key_repeats_the_menu(hub) -> None:
    h = hub(bot)
    line = Line(h.client)
    line.dial()
    line.press("7")
    assert line.heard.startswith("抱歉，没有这个选项") and not apologised(line.verbs)
    assert said_to_bot(h) == []
