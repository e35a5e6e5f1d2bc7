import os

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve AIRCOP (HTTP and WebSocket) with uvicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=1, help="worker processes (use several with Redis)"
        )

    def handle(self, *args, host, port, workers, **options):
        embedded = not settings.CONFIG.redis_url
        if embedded and workers > 1:
            raise CommandError(
                "--workers: several processes need AIRCOP_REDIS_URL (the in-memory layer is per process)"
            )
        if embedded:
            # One process: the background jobs run inside it (asgi.py). With Redis: `aircop worker`.
            os.environ["AIRCOP_SERVER_RUNS_JOBS"] = "1"
        self.stdout.write(f"AIRCOP serving on http://{host}:{port}/ (Ctrl-C stops)")
        uvicorn.run(
            "aircop.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="on",
            proxy_headers=True,
            server_header=False,
            log_level="info",
            log_config=settings.LOGGING,
            access_log=settings.CONFIG.log_format == "plain",
        )
