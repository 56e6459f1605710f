"""An ASGI app served for real: uvicorn on a free loopback port, in a background thread,
for tests and benchmarks whose client must speak HTTP (a library of its own, concurrency)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from scripts.ports import free_port


class ServedApi:
    """The FastAPI app under uvicorn in a background thread, on a free port."""

    def __init__(self, app: Callable[..., Any]) -> None:
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServedApi:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
