"""The official account's menu: one definition (integrations/data/wechat_menu.yml) for
creating it through WeChat's API and for reading its clicks.

    .venv/bin/python -m integrations.channels.wechat.menu          # create it
    .venv/bin/python -m integrations.channels.wechat.menu --print  # show what would be sent
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MENU_FILE = Path(__file__).resolve().parents[2] / "data" / "wechat_menu.yml"


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    return yaml.safe_load(MENU_FILE.read_text(encoding="utf-8"))


def _buttons(menu: dict[str, Any]) -> list[dict[str, Any]]:
    top = menu["button"]
    return [b for button in top for b in (button.get("sub_button") or [button])]


def says(key: str) -> str | None:
    """What a CLICK key stands for, in the customer's words (None for an unknown key)."""
    return next((b["says"] for b in _buttons(load()) if b.get("key") == key), None)


def for_wechat(menu: dict[str, Any]) -> dict[str, Any]:
    """The menu in WeChat's format: our ``says`` stays here."""
    def strip(button: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in button.items() if k not in ("says", "sub_button")}
        if button.get("sub_button"):
            out["sub_button"] = [strip(b) for b in button["sub_button"]]
        return out

    return {"button": [strip(b) for b in menu["button"]]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create the WeChat official account's menu.")
    parser.add_argument("--print", action="store_true", help="print the menu instead of creating it")
    args = parser.parse_args(argv)
    menu = for_wechat(load())
    if args.print:
        print(json.dumps(menu, ensure_ascii=False, indent=2))
        return 0
    from integrations.channels.wechat.api import WeChatApi
    from integrations.core.config import get_settings

    settings = get_settings()
    if not (settings.wechat_app_id and settings.wechat_app_secret):
        print("error: set WECHAT_APP_ID and WECHAT_APP_SECRET first", file=sys.stderr)
        return 2
    code = WeChatApi(settings).create_menu(menu)
    print("menu created" if code == 0 else f"error: WeChat refused the menu (errcode {code}); see the log line above",
          file=sys.stdout if code == 0 else sys.stderr)
    return 0 if code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
