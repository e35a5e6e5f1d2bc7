import uvicorn
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve AIRCOP (HTTP and WebSocket) with uvicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=1, help="worker processes (use several with Redis)"
        )

    def handle(self, *args, host, port, workers, **options):
        self.stdout.write(f"AIRCOP serving on http://{host}:{port}/ (Ctrl-C stops)")
        uvicorn.run(
            "aircop.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="off",
            proxy_headers=True,
            server_header=False,
            log_level="info",
        )
