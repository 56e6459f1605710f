"""Cleaning of customer text before it is stored or understood."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_SPACES = re.compile(r"\s+")


def clean(text: str, limit: int) -> str:
    """NFKC (full-width digits become ASCII), control characters dropped, spaces squeezed."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()[:limit]
