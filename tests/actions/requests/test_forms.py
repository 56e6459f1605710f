"""Service forms against the seeded core: what an answer fills, what is refused and why,
what is asked, and the checks made before a request may go ahead.

The bot's day is Saturday 2026-11-21 (tests/actions/support.py).
"""

from __future__ import annotations

from actions.requests.forms import (
    ValidateCapacityChangeForm,
    ValidateEvChargerForm,
    ValidateHazardForm,
    ValidateInvoiceForm,
    ValidateMeterCheckForm,
    ValidateNewConnectionForm,
    ValidateOutageForm,
    ValidateSubscribeForm,
    ValidateTouForm,
    ValidateTransferForm,
    ValidateUpdateContactForm,
)
from actions.requests.questions import ASK_ACTIONS, ActionAskRequestConfirmed
from tests.actions.service_support import activate, answer, still_needed, whole_domain  # noqa: F401
from tests.actions.support import LI_SI, QIAN_QI, SHOP, WANG_WU, ZHANG_SAN, ZHAO_LIU, Conversation, Result, verified

ID = "11010519491231002X"


def ask(conversation: Conversation, key: str) -> Result:
    action = next(a for a in (cls() for cls in ASK_ACTIONS) if a.key == key)
    return conversation.run(action)


# --- reading answers ------------------------------------------------------------------
def test_a_question_in_the_middle_is_answered_and_the_form_goes_on() -> None:
    conversation = Conversation()
    activate(conversation, ValidateNewConnectionForm(), "apply_new_connection")
    for question, intent in (("居民电价怎么算", "query_tariff"), ("办这个要带啥证件啊", "apply_new_connection")):
        result = answer(conversation, ValidateNewConnectionForm(), "id_number", question, intent=intent)
        assert result.slot("id_number") == "<unset>"
        assert result.slot("kb_context") != "<unset>"  # a slot set: Rasa keeps the form and asks again
        assert result.messages, question


def test_a_no_to_a_question_that_is_not_yes_or_no_fills_nothing() -> None:
    conversation = Conversation()
    activate(conversation, ValidateNewConnectionForm(), "apply_new_connection")
    result = answer(conversation, ValidateNewConnectionForm(), "id_number", "不想给", intent="deny")
    assert result.events == []  # the form steps aside; the rules end the request


def test_an_id_number_with_a_wrong_check_digit_is_kept_with_a_note_and_a_wrong_length_asked_again() -> None:
    conversation = Conversation()
    activate(conversation, ValidateNewConnectionForm(), "apply_new_connection")
    short = answer(conversation, ValidateNewConnectionForm(), "id_number", "11010519491231002")
    assert "应为18位" in short.text and short.slot("id_number") is None
    typo = answer(conversation, ValidateNewConnectionForm(), "id_number", "110105194912310021")
    assert "校验位对不上" in typo.text and "核对" in typo.text
    assert typo.slot("id_number") == "110105194912310021"  # the staff check it; the customer is not blocked
    right = answer(conversation, ValidateNewConnectionForm(), "id_number", "110105 19491231 002x")
    assert right.slot("id_number") == ID and right.messages == []


def test_an_answer_that_is_no_number_at_all_is_refused_with_a_hint() -> None:
    conversation = Conversation()
    activate(conversation, ValidateNewConnectionForm(), "apply_new_connection")
    result = answer(conversation, ValidateNewConnectionForm(), "capacity_kw", "不太清楚")
    assert result.slot("capacity_kw") is None
    assert "8千瓦" in result.text


def test_capacity_said_in_chinese_numerals() -> None:
    conversation = Conversation()
    activate(conversation, ValidateNewConnectionForm(), "apply_new_connection")
    assert answer(conversation, ValidateNewConnectionForm(), "capacity_kw", "八千瓦吧").slot("capacity_kw") == 8.0


def test_an_entity_name_is_taken_and_a_plain_name_too() -> None:
    conversation = Conversation()
    activate(conversation, ValidateNewConnectionForm(), "apply_new_connection")
    tagged = answer(conversation, ValidateNewConnectionForm(), "applicant_name", "我叫张伟", person_name="张伟")
    assert tagged.slot("applicant_name") == "张伟"
    plain = answer(conversation, ValidateNewConnectionForm(), "applicant_name", "户主是欧阳娜娜")
    assert plain.slot("applicant_name") == "欧阳娜娜"


def test_no_property_proof_yet_is_recorded_and_what_counts_is_explained() -> None:
    conversation = Conversation()
    activate(conversation, ValidateNewConnectionForm(), "apply_new_connection")
    result = answer(conversation, ValidateNewConnectionForm(), "property_proof", "还没有", intent="deny")
    assert result.slot("property_proof") is False
    assert "购房合同" in result.text and "补交" in result.text


def test_an_unclear_yes_no_is_asked_again() -> None:
    conversation = Conversation()
    activate(conversation, ValidateEvChargerForm(), "apply_ev_charger")
    result = answer(conversation, ValidateEvChargerForm(), "pm_consent", "物业说要等等")
    assert result.slot("pm_consent") is None
    assert "“有”或者“没有”" in result.text


def test_a_phone_given_before_is_not_asked_again(core) -> None:
    conversation = verified(Conversation(), ZHANG_SAN).set(contact_phone="138 0013 8000")
    result = activate(conversation, ValidateTouForm(), "apply_tou")
    assert result.slot("contact_phone") == "13800138000"  # the value from earlier, validated
    assert conversation.slots["contact_phone"] == "13800138000"


def test_a_phone_with_a_digit_missing_says_so(core) -> None:
    conversation = verified(Conversation(), ZHANG_SAN)
    activate(conversation, ValidateTouForm(), "apply_tou")
    result = answer(conversation, ValidateTouForm(), "contact_phone", "1380013800")
    assert result.slot("contact_phone") is None and "11位" in result.text


# --- dates ------------------------------------------------------------------------------
def test_meter_test_visit_must_be_a_working_day_within_the_booking_window() -> None:
    conversation = verified(Conversation(), WANG_WU)
    activate(conversation, ValidateMeterCheckForm(), "apply_meter_check")
    sunday = answer(conversation, ValidateMeterCheckForm(), "preferred_date", "明天")
    assert sunday.slot("preferred_date") is None and "不是工作日" in sunday.text
    passed = answer(conversation, ValidateMeterCheckForm(), "preferred_date", "11月18号")  # next year's 18th
    assert passed.slot("preferred_date") is None and "30天以内" in passed.text
    too_late = answer(conversation, ValidateMeterCheckForm(), "preferred_date", "12月25日")
    assert too_late.slot("preferred_date") is None and "12月21日" in too_late.text
    two_weeks = answer(conversation, ValidateMeterCheckForm(), "preferred_date", "12月3号")
    assert two_weeks.slot("preferred_date") == "2026-12-03" and two_weeks.messages == []
    conversation.set(preferred_date=None)
    monday = answer(conversation, ValidateMeterCheckForm(), "preferred_date", "下周一上午")
    assert monday.slot("preferred_date") == "2026-11-23" and monday.messages == []


def test_invoice_months_must_have_a_bill(core) -> None:
    conversation = verified(Conversation(), ZHANG_SAN)
    activate(conversation, ValidateInvoiceForm(), "request_invoice")
    this_month = answer(conversation, ValidateInvoiceForm(), "invoice_period", "这个月的")
    assert this_month.slot("invoice_period") is None and "还没有出" in this_month.text
    before_data = answer(conversation, ValidateInvoiceForm(), "invoice_period", "去年12月")
    assert before_data.slot("invoice_period") is None and "没有查到" in before_data.text
    first_half = answer(conversation, ValidateInvoiceForm(), "invoice_period", "今年1月到3月")
    assert first_half.slot("invoice_period") in ("2026-01,2026-02,2026-03", "2026-01")


def test_the_new_phone_must_differ_from_the_registered_one(core) -> None:
    conversation = verified(Conversation(), LI_SI)
    activate(conversation, ValidateUpdateContactForm(), "update_contact")
    same = answer(conversation, ValidateUpdateContactForm(), "new_phone", "13900139001")
    assert same.slot("new_phone") is None and "同一个" in same.text
    other = answer(conversation, ValidateUpdateContactForm(), "new_phone", "换成13912345678")
    assert other.slot("new_phone") == "13912345678"


# --- checks before a request may go ahead ---------------------------------------------
def test_transfer_with_arrears_stops_before_any_question(core) -> None:
    conversation = verified(Conversation(), QIAN_QI)
    result = activate(conversation, ValidateTransferForm(), "apply_transfer")
    assert result.slot("requested_slot") is None
    assert "欠费" in result.text and "结清" in result.text and "263" in result.text


def test_transfer_without_arrears_goes_ahead(core) -> None:
    conversation = verified(Conversation(), WANG_WU)
    result = activate(conversation, ValidateTransferForm(), "apply_transfer")
    assert result.messages == [] and result.slot("requested_slot", "<not ended>") == "<not ended>"


def test_tou_is_refused_to_a_shop_and_to_a_household_already_on_it(core) -> None:
    shop = activate(verified(Conversation(), SHOP), ValidateTouForm(), "apply_tou")
    assert "只适用于居民" in shop.text
    zhao = activate(verified(Conversation(), ZHAO_LIU), ValidateTouForm(), "apply_tou")
    assert "已经在执行" in zhao.text
    zhang = activate(verified(Conversation(), ZHANG_SAN), ValidateTouForm(), "apply_tou")
    assert zhang.messages == []


def test_an_account_form_without_identity_ends_quietly(core) -> None:
    result = activate(Conversation(), ValidateCapacityChangeForm(), "apply_capacity_change")
    assert result.slot("requested_slot") is None and result.messages == []


# --- what is asked --------------------------------------------------------------------
def test_verified_customers_are_not_asked_where_their_supply_is() -> None:
    anonymous = Conversation().user("停电了", "report_outage")
    assert still_needed(anonymous, ValidateOutageForm()) == ["service_address"]
    known = verified(Conversation(), WANG_WU).user("停电了", "report_outage")
    assert still_needed(known, ValidateOutageForm()) == []
    assert activate(known, ValidateOutageForm(), "report_outage").slot("requested_slot") is None  # ends at once


def test_hazard_with_its_place_asks_nothing_more() -> None:
    told = Conversation().user("平阳路30号电线掉地上了", "report_hazard").set(service_address="城东区平阳路30号")
    told.set(requested_slot=None)
    assert still_needed(told, ValidateHazardForm()) == []
    untold = Conversation().user("电表箱冒烟了", "report_hazard")
    activate(untold, ValidateHazardForm(), "report_hazard")
    answer(untold, ValidateHazardForm(), "service_address", "城北区建设路农贸市场门口", address="城北区建设路农贸市场")
    assert still_needed(untold, ValidateHazardForm()) == ["contact_phone"]


def test_wechat_followers_subscribe_without_a_phone() -> None:
    on_wechat = verified(Conversation(channel="wechat"), WANG_WU).user("停电提前通知我", "subscribe_outage_notice")
    assert still_needed(on_wechat, ValidateSubscribeForm()) == []
    on_web = verified(Conversation(), WANG_WU).user("停电提前通知我", "subscribe_outage_notice")
    assert still_needed(on_web, ValidateSubscribeForm()) == ["contact_phone"]


def test_hazard_question_starts_with_safety_advice() -> None:
    text = ask(Conversation(), "hazard_form_service_address").text
    assert text.index("远离") < text.index("120") < text.index("具体位置")


def test_document_questions_have_buttons_on_web_and_spoken_choices_on_the_phone() -> None:
    web = ask(Conversation(), "property_proof")
    assert [b["title"] for b in web.buttons] == ["有", "没有"]
    phone = ask(Conversation(channel="voice").user("我要新装电表", "apply_new_connection"), "property_proof")
    assert phone.buttons == [] and "您可以说“有”、“没有”" in phone.text


# --- the summary and corrections -----------------------------------------------------
def filled_new_connection() -> Conversation:
    conversation = Conversation()
    validator = ValidateNewConnectionForm()
    activate(conversation, validator, "apply_new_connection")
    answer(conversation, validator, "applicant_name", "张伟", person_name="张伟")
    answer(conversation, validator, "id_number", ID)
    answer(
        conversation, validator, "service_address", "城东区滨河路阳光小区5栋2单元301", address="城东区滨河路阳光小区5栋2单元301"
    )
    answer(conversation, validator, "property_proof", "有", intent="affirm")
    answer(conversation, validator, "contact_phone", "13958806613", phone="13958806613")
    answer(conversation, validator, "capacity_kw", "8")
    return conversation


def test_summary_shows_every_value_with_the_id_masked() -> None:
    conversation = filled_new_connection()
    conversation.set(requested_slot="request_confirmed")
    result = conversation.run(ActionAskRequestConfirmed())
    for shown in ("新装用电", "张伟", "110***********002X", "阳光小区5栋2单元301", "产权证明：有", "13958806613", "8千瓦"):
        assert shown in result.text, shown
    assert ID not in result.text
    assert [b["payload"] for b in result.buttons] == ["/affirm", "/deny"]


def test_a_new_value_at_the_summary_replaces_the_old_one_and_asks_again() -> None:
    conversation = filled_new_connection()
    result = answer(conversation, ValidateNewConnectionForm(), "request_confirmed", "电话写错了，是13958806699")
    assert result.slot("contact_phone") == "13958806699"
    assert conversation.slots["request_confirmed"] is None
    confirmed = answer(conversation, ValidateNewConnectionForm(), "request_confirmed", "对，提交吧", intent="affirm")
    assert confirmed.slot("request_confirmed") is True


def test_a_name_corrected_at_the_summary_keeps_the_address_a_stray_word_looked_like() -> None:
    conversation = filled_new_connection()
    result = answer(
        conversation, ValidateNewConnectionForm(), "request_confirmed",
        "啊名字打错了 是王秀英 英雄的英 不是晶莹的莹", intent="nlu_fallback", person_name="王秀英", address="英",
    )
    assert result.slot("applicant_name") == "王秀英"
    assert result.slot("service_address") == "城东区滨河路阳光小区5栋2单元301"
    assert "地址" not in result.text


def test_on_the_phone_the_summary_reads_only_the_tails_of_numbers() -> None:
    conversation = verified(Conversation(channel="voice"), ZHANG_SAN).user("确认", "affirm")
    conversation.loop = "close_account_form"
    conversation.set(service_task="apply_close_account", id_number=ID, refund_bank_account="6222021234567890123")
    text = conversation.run(ActionAskRequestConfirmed()).text
    assert "户号：尾号2345" in text and "户主身份证号：尾号002X" in text and "尾号0123的账户" in text
    assert "*" not in text and "3300" not in text
