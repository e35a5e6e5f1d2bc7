from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aircop.core.context import ActorContext, set_for_process
from aircop.network import demo


class Command(BaseCommand):
    help = "Load the demo network (idempotent). Refuses a database that holds non-demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-if-real",
            action="store_true",
            help="exit 0 with a note instead of failing when the database holds non-demo users (used by make run)",
        )

    def handle(self, *args, skip_if_real=False, **options):
        set_for_process(ActorContext(channel="cli"))
        try:
            report = demo.load(password=settings.AIRCOP_DEMO_PASSWORD)
        except demo.DemoRefused as exc:
            if skip_if_real:
                self.stdout.write(f"demo not loaded: {exc.message}")
                return
            raise CommandError(f"demo refused: {exc.message}") from None
        if report.changed:
            created = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items()))
            self.stdout.write(f"demo network loaded: created {created}")
        else:
            self.stdout.write("demo network already loaded: nothing changed")
