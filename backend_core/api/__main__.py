"""``python -m backend_core.api``: serve the API on CORE_HOST:CORE_PORT (default 127.0.0.1:8100).

Same as ``uvicorn backend_core.api.main:app --port 8100``, with the address taken from settings.
"""

from __future__ import annotations

import uvicorn

from backend_core.core.config import CoreSettings


def main() -> None:
    settings = CoreSettings()
    uvicorn.run("backend_core.api.main:app", host=settings.host, port=settings.port)


if __name__ == "__main__":
    main()
