"""Committed text names paths relative to the repository, never the directories of the
machine it was built on (a clone elsewhere would carry wrong, private paths)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MACHINE_PATHS = {str(ROOT), str(ROOT.parent), str(Path.home())} - {"/"}
TEXT_SUFFIXES = {
    ".py", ".md", ".yml", ".yaml", ".json", ".jsonl", ".txt", ".ini", ".toml", ".cfg", ".sh", ".html", ".js", ".css", "",
}


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / n for n in names if Path(n).suffix in TEXT_SUFFIXES and (ROOT / n).is_file()]


def test_no_tracked_file_names_a_path_of_this_machine() -> None:
    found = []
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(ROOT)}: {p}" for p in MACHINE_PATHS if p + "/" in text]
    assert not found, found
