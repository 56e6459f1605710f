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
