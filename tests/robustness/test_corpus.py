"""The corpus itself: its size per surface, and the pages that show what it stores."""

from __future__ import annotations

import re
from pathlib import Path

from tests.robustness.corpus import CASES, SURFACES, counts

STATIC = Path(__file__).resolve().parents[2] / "integrations" / "static"


def test_the_corpus_has_at_least_500_cases_on_every_surface() -> None:
    per_surface = counts()
    print(f"\nbad-input corpus: {len(CASES)} cases: " + ", ".join(f"{s} {n}" for s, n in per_surface.items()))
    assert len(CASES) >= 500
    assert sum(per_surface.values()) == len(CASES)
    assert all(per_surface[s] > 0 for s in SURFACES)


def test_the_pages_insert_stored_text_as_text_never_as_html() -> None:
    """What a customer or an agent typed reaches the pages as JSON and is shown with
    textContent: no page script parses a string as HTML."""
    scripts = [p for p in STATIC.rglob("*.js") if "vendor" not in p.parts]
    assert scripts
    as_html = re.compile(r"\.(innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML|document\.write|\beval\(|new Function\(")
    for script in scripts:
        found = as_html.findall(script.read_text(encoding="utf-8"))
        assert not found, f"{script.name} parses strings as HTML: {found}"
