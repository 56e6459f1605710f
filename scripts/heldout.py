"""Held-out NLU lines that are also training lines, found and removed.

A test line equal to a training line once spaces, punctuation, symbols and digits are
removed (or contained in a longer training line) measures memory, not understanding.
The comparison is the one ../shared/hooks/overlap.py makes. ``python scripts/heldout.py``
removes such lines from every file of nlu_data/test and prints how many it removed per
file; the NLU evaluation drops any that appear later (new training data) and reports
them, so no figure is ever taken on them.

Standard library only: it runs in either environment.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
EXAMPLE = re.compile(r"^(\s*-\s+)(.+?)\s*$")
SHORT = 4  # shorter lines (你好, 谢谢) are the same in any set and are kept
CONTAINED = 6  # a line inside a training line counts when it has this many characters


def fold(text: str) -> str:
    text = MARKUP.sub(r"\1", unicodedata.normalize("NFKC", text))
    return "".join(c for c in text if not (c.isspace() or c.isdigit() or unicodedata.category(c)[0] in "PSZ"))


def example_lines(path: Path) -> list[str]:
    """The ``- example`` lines of a Rasa NLU YAML file."""
    out, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*examples:\s*\|", line):
            inside = True
            continue
        if line.strip() and not line.startswith((" ", "\t")):
            inside = False
        elif inside and (example := EXAMPLE.match(line)):
            out.append(example.group(2))
    return out


class TrainingLines:
    def __init__(self, train_dir: Path) -> None:
        self.seen = {fold(t) for path in sorted(train_dir.glob("*.yml")) for t in example_lines(path)}
        self.seen.discard("")
        self.long = [t for t in self.seen if len(t) >= CONTAINED]

    def covers(self, text: str) -> bool:
        folded = fold(text)
        if len(folded) < SHORT:
            return False
        return folded in self.seen or (len(folded) >= CONTAINED and any(folded in t for t in self.long))


def remove_from(path: Path, training: TrainingLines) -> int:
    """Rewrite ``path`` without its lines the training data covers; how many went."""
    kept, removed = [], 0
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*examples:\s*\|", line):
            inside = True
        elif line.strip() and not line.startswith((" ", "\t")):
            inside = False
        match = EXAMPLE.match(line) if inside else None
        if match and training.covers(match.group(2)):
            removed += 1
            continue
        kept.append(line)
    if removed:
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return removed


def main() -> int:
    training = TrainingLines(ROOT / "nlu_data" / "train")
    for path in sorted((ROOT / "nlu_data" / "test").glob("*.yml")):
        total = len(example_lines(path))
        removed = remove_from(path, training)
        print(f"{path.relative_to(ROOT)}: removed {removed} of {total} lines also in training")
    return 0


if __name__ == "__main__":
    sys.exit(main())
