"""Text normalisation and jieba word segmentation for BM25.

A private jieba.Tokenizer carries the domain dictionary (阶梯电价, 户号, 违约金, ...),
so that these terms are matched whole and other code using the global jieba is not
affected. Stop words and punctuation are dropped: they would only add noise to BM25.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache

import jieba

from knowledge_base.core.config import STOPWORDS_PATH, USERDICT_PATH

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_CJK_OR_ALNUM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_lock = threading.Lock()


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, no control characters or lone surrogates."""
    text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFKC", text).lower().strip()


def has_content(text: str) -> bool:
    """Whether a query has anything to search for (a Chinese character or two letters/digits)."""
    chars = _CJK_OR_ALNUM.findall(text)
    return any("\u4e00" <= c <= "\u9fff" for c in chars) or len(chars) >= 2


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USERDICT_PATH))
    return tokenizer


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(w.strip() for w in STOPWORDS_PATH.read_text(encoding="utf-8").splitlines() if w.strip())


def tokenize(text: str) -> list[str]:
    """BM25 terms: jieba search-mode words (compounds and their parts), no stop words or punctuation."""
    tokenizer = _tokenizer()
    stop = stopwords()
    with _lock:  # jieba's lazy initialisation is not thread-safe
        words = tokenizer.lcut_for_search(normalise(text), HMM=True)
    return [w for w in (w.strip() for w in words) if w and w not in stop and _WORD.search(w)]
