"""Messages that say nothing: stray symbols, emoji, keyboard mashing, hesitation sounds.

A classifier always picks some intent, and for 「？？？？」 or 「呃呃呃 嗯嗯 啊」 it picks one
at random (bot_identity, affirm…). Such a message must count as not understood, so that
two in a row lead to the offer of a human (service_rules.yml, handoff) and never to an
answer. Short replies that do mean something (嗯, 好, ok, 88, 在吗) are not noise.
"""

from __future__ import annotations

import re
import unicodedata

# Latin words people do type to a Chinese hotline.
_LATIN_WORDS = frozenset({
    "hi", "hello", "hey", "ok", "okay", "yes", "no", "bye", "thanks", "thx", "sorry", "help", "app", "kwh", "gd",
    "sos", "wechat", "vip", "pdf", "ai", "qq",
})
# Emoji that do answer: yes, fine, thanks.
_MEANINGFUL_EMOJI = frozenset("👍👌🙏😊🙂")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Hesitation and filler: said while thinking, they carry no request.
_FILLER = re.compile(r"呃|额|嗯|啊|哦|噢|喔|唔|哈|嘿|诶|欸|呀|哎|唉|那个|这个|就是|啥|就|然后|emm+|em+|um+|uh+")
_HESITATION = re.compile(r"呃|额|啊|那个|这个|就是|啥|emm|umm|uhh")


def is_noise(text: str) -> bool:
    """Whether ``text`` holds no words at all (symbols, emoji, mashing or fillers)."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    kept = "".join(c for c in folded if unicodedata.category(c)[0] in "LN")  # letters and digits only
    if not kept:
        # only symbols and emoji; an empty message is not noise, it is nothing
        return bool(folded.strip()) and not any(c in _MEANINGFUL_EMOJI for c in folded)
    if any(c.isdigit() for c in kept):
        return False
    if not _CJK.search(kept):
        words = re.findall(r"[a-z]+", folded)
        return not any(w in _LATIN_WORDS for w in words)
    rest = _FILLER.sub("", kept)
    return not rest and len(kept) >= 3 and bool(_HESITATION.search(kept))
