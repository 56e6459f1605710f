"""`make run-scaled`: the system as a utility would deploy it, on one machine.

Every stateful part runs on the server a utility would use, from the Debian packages,
started and stopped here: PostgreSQL (the core's accounts, the hub's conversations,
Rasa's trackers) and Redis (Rasa's lock store; the hub's live fan-out, desk clock
lease, flood buckets and WeChat token). Two replicas each of the hub, Rasa and the
action server run behind HAProxy, which listens on the ports `make run` uses, so every
URL, page and test works the same. The billing core is one process on PostgreSQL
(docs/scaling.md says when it needs more).

Data stays in var/scaled/ between runs (PostgreSQL's files; Redis keeps nothing).
Ctrl-C stops everything, the servers included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml
from honcho.environ import parse_procfile
from honcho.manager import Manager

from scripts.ports import free_port
from scripts.servers import PostgresCluster, RedisServer, ServerUnavailable
from scripts.supervise import SERVICES, port_in_use, ready_table, respawned, service_environment

ROOT = Path(__file__).resolve().parent.parent
REPLICAS = 2
BALANCED = {"hub": "HUB_PORT", "rasa": "RASA_PORT", "actions": "ACTION_PORT"}  # service -> front port variable
HEALTH = {s.name: s.health_path for s in SERVICES}
DATABASES = {"core": "powerdesk_core", "hub": "powerdesk_hub", "rasa": "powerdesk_rasa"}
RASA_LOCKS_DB = 1  # Redis database of Rasa's conversation locks (the hub uses 0)


@dataclass(frozen=True)
class Replica:
    service: str
    index: int
    port: int

    @property
    def name(self) -> str:
        return f"{self.service}-{self.index}"


def scaled_dir() -> Path:
    return Path(os.environ.get("SCALED_DIR", ROOT / "var" / "scaled"))


def haproxy_config(host: str, fronts: dict[str, int], replicas: list[Replica]) -> str:
    """One frontend per balanced service on its usual port, round robin over its replicas.

    A replica is taken out after two failed health checks a second apart. A request whose
    connection is refused (a replica that just died) is sent to the other one. A request
    already inside a replica that dies is not sent again: a customer's message may have
    been stored before the replica died, and a retry would store it twice. The client
    sees a 502 (the widget says sending failed and puts the text back in the input box).
    """
    lines = [
        "global",
        "    maxconn 4096",
        "defaults",
        "    mode http",
        "    option redispatch",
        "    retries 3",
        "    retry-on conn-failure",
        "    timeout connect 2s",
        "    timeout client 120s",
        "    timeout server 120s",
        "    timeout tunnel 2h",  # websockets of the widget and the console
        "    timeout http-keep-alive 10s",
        "    default-server check inter 1s fall 2 rise 2",
    ]
    for service, port in fronts.items():
        lines += [
            f"frontend {service}",
            f"    bind {host}:{port}",
            f"    default_backend {service}-replicas",
            f"backend {service}-replicas",
            "    balance roundrobin",
            f"    option httpchk GET {HEALTH[service]}",
        ]
        lines += [f"    server {r.name} 127.0.0.1:{r.port}" for r in replicas if r.service == service]
    return "\n".join(lines) + "\n"


def rasa_endpoints(action_url: str, pg: PostgresCluster, redis: RedisServer) -> dict[str, object]:
    """Rasa's endpoints for replicas: trackers in PostgreSQL, one lock per conversation in
    Redis, so whichever replica takes a message sees the whole conversation, one at a time."""
    return {
        "action_endpoint": {"url": action_url},
        "tracker_store": {
            # A store named by its class gets ``url`` as its ``host`` argument (Rasa's loader).
            "type": "bot.stores.IntentRecordingSQLTrackerStore", "url": "127.0.0.1",
            "dialect": "postgresql", "port": pg.port,
            "db": DATABASES["rasa"], "username": "postgres",
        },
        "lock_store": {"type": "redis", "url": "127.0.0.1", "port": redis.port, "db": RASA_LOCKS_DB},
    }


def prepare_databases(pg: PostgresCluster, env: dict[str, str]) -> None:
    """Databases created, the core seeded (idempotent) and the hub migrated, once, before
    any replica starts. Rasa creates its tracker table itself (its replicas tolerate
    racing each other to it)."""
    for name in DATABASES.values():
        pg.ensure_database(name)
    python = str(ROOT / ".venv/bin/python")
    steps = [
        ("the demo customers", [python, "-m", "backend_core.seed", "--database-url", env["CORE_DATABASE_URL"]]),
        ("the hub's schema", [python, "-c",
                              "import sys; from integrations.db import upgrade_to_head; upgrade_to_head(sys.argv[1])",
                              env["HUB_DATABASE_URL"]]),
    ]
    for what, command in steps:
        print(f"preparing {what} …", flush=True)
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for_replicas(manager: Manager, host: str, replicas: list[Replica], timeout_s: float) -> None:
    """Every replica healthy, then every front through HAProxy; print the URLs, or stop."""
    checks = [(r.name, f"http://127.0.0.1:{r.port}{HEALTH[r.service]}") for r in replicas]
    checks += [(f"{s.name} (front)", f"http://{host}:{s.port}{s.health_path}") for s in SERVICES]
    deadline = time.monotonic() + timeout_s
    pending = dict(checks)
    with httpx.Client(timeout=2.0) as client:
        while pending and time.monotonic() < deadline:
            for name, url in list(pending.items()):
                try:
                    if client.get(url).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
    if pending:
        print(f"\n!! not ready after {timeout_s:.0f} s: {', '.join(pending)}; stopping everything.\n", flush=True)
        manager.terminate()
        return
    print(f"\n  Scaled mode: {REPLICAS} replicas each of {', '.join(BALANCED)} behind HAProxy; "
          "PostgreSQL and Redis under " + str(scaled_dir()), flush=True)
    print(ready_table(host), flush=True)


def main() -> int:
    base = scaled_dir()
    env = service_environment()
    host = env["BIND_HOST"]
    taken = [s for s in SERVICES if port_in_use(host, s.port)]
    if taken:
        for s in taken:
            print(f"error: port {s.port} ({s.name}) is already in use on {host}. Stop what uses it, "
                  f"or set {s.port_var} to a free port.", file=sys.stderr)
        return 1
    pg = PostgresCluster.at(base / "postgres", int(os.environ.get("SCALED_POSTGRES_PORT", "55432")))
    redis = RedisServer(int(os.environ.get("SCALED_REDIS_PORT", "56379")), base / "redis")
    try:
        pg.start()
        redis.start()
    except ServerUnavailable as exc:
        redis.stop()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        return run_replicas(base, env, host, pg, redis)
    finally:
        redis.stop()
        pg.stop()


def run_replicas(base: Path, env: dict[str, str], host: str, pg: PostgresCluster, redis: RedisServer) -> int:
    fronts = {service: int(env[variable]) for service, variable in BALANCED.items()}
    replicas = [Replica(service, i, free_port()) for service in BALANCED for i in range(1, REPLICAS + 1)]
    endpoints = base / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump(rasa_endpoints(env["ACTION_SERVER_URL"], pg, redis)), encoding="utf-8")
    haproxy = base / "haproxy.cfg"
    haproxy.write_text(haproxy_config(host, fronts, replicas), encoding="utf-8")
    env.update({
        "CORE_DATABASE_URL": pg.url(DATABASES["core"]),
        "HUB_DATABASE_URL": pg.url(DATABASES["hub"]),
        "HUB_REDIS_URL": redis.url,
        "RASA_ENDPOINTS": str(endpoints),
        "RASA_TRACKER_DB": "",  # trackers live in PostgreSQL, not in Rasa's local file
    })
    os.environ.update(env)
    try:
        prepare_databases(pg, {**os.environ})
    except subprocess.CalledProcessError as exc:
        print(f"error: preparing the databases failed ({exc})", file=sys.stderr)
        return 1
    procfile = parse_procfile((ROOT / "Procfile").read_text(encoding="utf-8")).processes
    manager = Manager()
    manager.add_process("haproxy", respawned("haproxy", f"haproxy -db -f {haproxy}"), env={**os.environ}, cwd=str(ROOT))
    manager.add_process("core", respawned("core", procfile["core"]), env={**os.environ}, cwd=str(ROOT))
    for replica in replicas:
        own_port = {**os.environ, BALANCED[replica.service]: str(replica.port)}
        manager.add_process(replica.name, respawned(replica.name, procfile[replica.service]), env=own_port, cwd=str(ROOT))
    timeout = float(os.environ.get("READY_TIMEOUT_S", "300"))
    check_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    threading.Thread(target=wait_for_replicas, args=(manager, check_host, replicas, timeout), daemon=True).start()
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
