import contextlib

from django.core.management.base import BaseCommand

from aircop import worker
from aircop.core.context import ActorContext, set_for_process


class Command(BaseCommand):
    help = "Run the periodic background jobs (flash alerts not acknowledged in time, ...) until stopped."

    def handle(self, *args, **options):
        set_for_process(ActorContext(channel="system"))
        self.stdout.write("AIRCOP worker running: " + ", ".join(j.name for j in worker.jobs()))
        with contextlib.suppress(KeyboardInterrupt):
            worker.run_forever()
