"""What the console suggests for the customer's last message: the knowledge-base passages
and the reply the bot would give from them (the same composing as the bot's answers)."""

from __future__ import annotations

import logging
from typing import Any

from integrations.models import Message
from knowledge_base.compose import cite, compose
from knowledge_base.search import get_searcher

log = logging.getLogger(__name__)
MAX_QUESTION = 300
MIN_QUESTION = 4  # 「好的」「嗯嗯」 are no question to search for


def last_question(transcript: list[Message]) -> Message | None:
    """The customer's latest message that asks something (not a button payload, not 「好的」)."""
    return next(
        (m for m in reversed(transcript)
         if m.author == "customer" and len(m.text.strip()) >= MIN_QUESTION and not m.text.startswith("/")),
        None,
    )


def suggest(question: str, k: int = 3) -> dict[str, Any]:
    """``{"bot_reply", "passages"}`` for ``question``; empty when the index is not built."""
    try:
        searcher = get_searcher()
        response = searcher.search(question[:MAX_QUESTION], k=k)
    except Exception as exc:  # no index: the console still works, without suggestions
        log.warning("no knowledge-base suggestions: %s", exc)
        return {"bot_reply": None, "passages": []}
    passages = [r.model_dump(include={"doc_id", "title", "section", "text", "score"}) for r in response.results]
    bot_reply = None
    if response.answerable and response.results:
        answer = compose(question, response.results[0], searcher)
        bot_reply = {"text": f"{answer.text}\n{cite(answer)}", "sources": [answer.title]}
    return {"bot_reply": bot_reply, "passages": passages}
