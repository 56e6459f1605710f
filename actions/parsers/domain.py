"""Whether a message is about electricity supply at all.

A classifier trained only on utility requests reads 「京东618什么时候开始」 as "when does
power return" and 「快递到哪了」 as an order status query: the question shape is all it
sees. A request the bot would act on (ask for an account, open a form) must mention
something of the utility's world; a message that does not, in a conversation that has not
been about it either, is out of scope. Words that merely contain 电 (电影, 电话, 电脑, 充电宝)
do not count on their own.
"""

from __future__ import annotations

import re

from actions.parsers.digits import find_account_no

_NOT_SUPPLY = re.compile(r"电影|电视剧|电话费|话费|电脑|电竞|电池|充电宝|电动车续航|电商|电子|电梯|电台|电视台|电信|电竞")
_UTILITY = re.compile(
    r"电|停|户号|户头|尾号|表|缴费|交费|交钱|账单|欠费|余额|充值|度数|多少度|峰谷|阶梯|档|报修|抢修|工单|单号|95598|"
    r"营业厅|过户|销户|增容|减容|容量|变压器|杆|线|闸|插座|开关|漏电|光伏|发票|违约金|滞纳金|网上国网|供电|用电|"
    r"烧焦|冒烟|火花|火星|起火|着火|冒火|短路|黑了|没亮|不亮|灯|空调|冰箱|热水器|千瓦|kw|kwh|户主|物业|充电桩|"
    r"抄表|计量|预付费|费控|电价|校验|检修|施工|跳",
    re.IGNORECASE,
)


def mentions_utility(text: str) -> bool:
    """Whether ``text`` names anything of electricity supply, service or billing."""
    text = _NOT_SUPPLY.sub("", text or "")
    return bool(_UTILITY.search(text) or re.search(r"gd\s*\d", text, re.IGNORECASE) or find_account_no(text))
