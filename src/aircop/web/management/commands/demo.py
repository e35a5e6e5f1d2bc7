from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aircop.core.context import ActorContext, set_for_process
from aircop.network import demo
from aircop.screening import demo as screening_demo
from aircop.seizures import demo as seizures_demo


class Command(BaseCommand):
    help = (
        "Load the demo network, demo watchlists with a few days of screened arriving manifests, and "
        "two years of synthetic seizures (idempotent). "
        "Refuses a database that holds non-demo users."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-if-real",
            action="store_true",
            help="exit 0 with a note instead of failing when the database holds non-demo users (used by make run)",
        )
        parser.add_argument(
            "--no-seizures", action="store_true", help="load the network only, without synthetic seizures"
        )
        parser.add_argument(
            "--seizures",
            type=int,
            default=6000,
            metavar="N",
            help="how many synthetic seizures to generate (default 6000)",
        )

    def handle(self, *args, skip_if_real=False, no_seizures=False, seizures=6000, **options):
        set_for_process(ActorContext(channel="cli"))
        if seizures < 0:
            raise CommandError("--seizures: give a number of seizures, 0 or more")
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
        screened = screening_demo.generate()
        if screened:
            self.stdout.write(
                f"demo screening: {screened['entries']} watchlist entries, {screened['flights']} arriving "
                f"flights screened, {screened['hits']} hits in the review queues"
            )
        else:
            self.stdout.write("demo watchlists already present: nothing added")
        if no_seizures:
            return
        created = seizures_demo.generate(count=seizures)
        if created:
            self.stdout.write(f"demo seizures generated: {created} over the last two years")
        else:
            self.stdout.write("demo seizures already present (or none asked for): nothing added")
