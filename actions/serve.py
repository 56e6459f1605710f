"""``python -m actions.serve --actions actions --host H --port N``: rasa-sdk's action
server in one process.

``python -m rasa_sdk`` runs Sanic 25 in its multi-process mode even for one worker: a
primary process holds the listening socket and a worker answers. When the worker dies
(a crash, the OOM killer) the primary marks it failed and carries on, so the port stays
open and every action call hangs until Rasa gives up; nothing outside can tell. In one
process a crash ends the server, its port closes, Rasa's calls fail at once, and the
respawn wrapper (scripts/respawn.py) starts it again. It also binds where it is told
(``--host``; rasa-sdk reads only ``SANIC_HOST`` and binds 0.0.0.0 without it) and does
not keep a second copy of every action module in memory. With ``POWERDESK_ENV=production``
it refuses to start while it would reach the core over HTTP with the published token.

The app, its routes, CORS, plugins and tracing are rasa-sdk's own
(``endpoint.create_app_for_serve``); only how it is served differs.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app_for_serve, create_argument_parser
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from actions.dialogue.knowledge import load_searcher
from backend_core.core.config import CoreSettings
from backend_core.core.production import DEFAULT_SERVICE_TOKEN, refuse_published_defaults

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = create_argument_parser()
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"), help="interface to listen on")
    args = parser.parse_args(argv)
    core = CoreSettings()  # the actions' gateway to the core (actions/kernel/gateway.py)
    refuse_published_defaults(
        "action server",
        ["CORE_SERVICE_TOKEN"] if core.gateway == "http" and core.service_token == DEFAULT_SERVICE_TOKEN else [],
    )

    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()

    # The knowledge base (encoder, indexes) loads in the background now rather than on the
    # first policy question, which would otherwise wait seconds for it (tens of seconds on
    # a busy machine, past the hub's patience).
    threading.Thread(target=load_searcher, name="kb-preload", daemon=True).start()
    executor = ActionExecutor()
    executor.register_package(args.actions_module or args.actions)
    app = create_app_for_serve(executor, cors_origins=args.cors, endpoints=args.endpoints)
    log.info("Action endpoint is up and running on http://%s:%s (one process)", args.host, args.port)
    app.prepare(host=args.host, port=args.port, single_process=True, access_log=False)
    Sanic.serve_single(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
