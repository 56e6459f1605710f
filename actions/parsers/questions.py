"""Whether a message asks something: the shapes of a Chinese question.

A reply to a form's question (a name, a date) and a question about the request (要带啥
证件, 验表收费不, 退不退) can share every word but these: question words, A-not-A (退不退,
有没有) and a closing 吗/呢/不.
"""

from __future__ import annotations

import re

_QUESTION = re.compile(
    r"[?？]|吗|呢|么|啥|什么|怎么|咋|多少|几[个天号点次位岁]|多久|多长|哪|为啥|为什么|干嘛|还是|"
    r"([\u4e00-\u9fff])不\1|([\u4e00-\u9fff])没\2|(?<=[\u4e00-\u9fff]{2})不[。.!！\s]*$"  # 退不退, 有没有, 收费不
)


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text or ""))


# Words of someone asking for a service, not about it: 我要办, 帮我申请, 想装.
_WANTS = re.compile(
    r"我要|我想|想要|想给|帮我|给我|申请|办理|要办|想办|得办|麻烦|请你|请帮|怎么办理|怎么申请|能办|可以办|"
    r"想.{0,8}装|要.{0,8}装|想换|要换|要过户|想过户|要销户|想销户|怎么弄|咋弄|咋办"
)
# What it takes (要求, 材料, 多少钱, 多久): a question about a service even from someone who wants it.
_RULES = re.compile(r"一般|通常|规定|按规定|提前几天|提前多久|多久能到|多长时间能到|多久能修|多久到|怎么通知|标准是|承诺")
_REQUIREMENTS = re.compile(r"要求|条件|材料|资料|证件|手续|带什么|带啥|带些|多少钱|收费|费用|要钱|花钱|多久|几天|多长时间|流程")


def asks_about(text: str, request_is_a_question: bool = False) -> bool:
    """A question about a service (要多少钱, 多久, 要带啥) rather than a request for it.

    When the request is itself a question (有没有停电计划), only a question about the
    rules (一般提前几天通知, 按规定多久到) counts."""
    text = text or ""
    if not is_question(text) or re.search(r"\d{6,}", text):
        return False
    if request_is_a_question:
        return bool(_RULES.search(text))
    return bool(_REQUIREMENTS.search(text)) or not _WANTS.search(text)
