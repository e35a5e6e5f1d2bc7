import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aircop.web import production


class Command(BaseCommand):
    help = (
        "Run the production topology on this machine: nginx with TLS in front of `aircop serve "
        "--workers N`, and `aircop worker`, on PostgreSQL and Redis (docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (2)")
        parser.add_argument("--host", default="127.0.0.1", help="the address nginx listens on")
        parser.add_argument("--port", type=int, default=8443, help="nginx's HTTPS port (8443)")
        parser.add_argument("--app-port", type=int, default=8001, help="the workers' port on 127.0.0.1")
        parser.add_argument(
            "--no-proxy", action="store_true", help="no nginx: serve plain HTTP on --app-port"
        )
        parser.add_argument(
            "--demo", action="store_true", help="load the demo network into an empty database"
        )
        parser.add_argument(
            "--create-database", action="store_true", help="create the PostgreSQL database if it is missing"
        )

    def handle(self, *args, workers, host, port, app_port, no_proxy, demo, create_database, **options):
        # --create-database is acted on by the `aircop` command before it connects (cli.py).
        if connection.vendor != "postgresql":
            raise CommandError("production: set AIRCOP_DATABASE_URL to a PostgreSQL database")
        if not settings.CONFIG.redis_url:
            raise CommandError("production: set AIRCOP_REDIS_URL (the workers share Redis)")
        if workers < 1:
            raise CommandError("--workers: at least 1")
        aircop = str(Path(sys.executable).with_name("aircop"))
        env = dict(os.environ)
        env["AIRCOP_VAR_DIR"] = str(settings.VAR_DIR)
        topology = production.Topology(
            aircop=aircop,
            var_dir=Path(settings.VAR_DIR),
            workers=workers,
            host=host,
            port=port,
            app_port=app_port,
            proxy=not no_proxy,
            env=env,
            out=self.stdout,
        )
        steps = [[aircop, "migrate", "-v", "0"]]
        if demo:
            steps.append([aircop, "demo", "--skip-if-real"])
        for step in steps:
            topology.say("aircop " + " ".join(step[1:]))
            if subprocess.run(step, env=env).returncode != 0:  # noqa: S603 - our own command
                raise CommandError(f"aircop {step[1]} failed")

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            topology.prepare_dirs()
            topology.build()
            topology.start_all()
            topology.say(f"AIRCOP (production topology) on {topology.url}/ — Ctrl-C stops")
            topology.supervise()
        except production.ProductionError as exc:
            topology.stop()
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            topology.stop()
