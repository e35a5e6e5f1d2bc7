from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aircop.capacity import demo as capacity_demo
from aircop.core.context import ActorContext, set_for_process
from aircop.network import demo
from aircop.operations import demo as operations_demo
from aircop.screening import demo as screening_demo
from aircop.seizures import demo as seizures_demo


class Command(BaseCommand):
    help = (
        "Load the demo network, demo watchlists with a few days of screened arriving manifests, "
        "capacity-building records since 2011, two years of synthetic seizures and two joint operations "
        "(idempotent). "
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
        trained = capacity_demo.generate()
        if trained:
            self.stdout.write(
                "demo capacity building: "
                + ", ".join(f"{n} {what}" for what, n in trained.items() if isinstance(n, int))
            )
        else:
            self.stdout.write("demo capacity building already present: nothing added")
        created = 0 if no_seizures else seizures_demo.generate(count=seizures)
        if created:
            self.stdout.write(f"demo seizures generated: {created} over the last two years")
        elif not no_seizures:
            self.stdout.write("demo seizures already present (or none asked for): nothing added")
        # After the seizures, which the operations' situation reports link to.
        made = operations_demo.generate()
        if made:
            self.stdout.write(
                f"demo operations: {made['operations']} joint operations, {made['reports']} situation "
                f"reports, {made['alerts']} alerts"
            )
        else:
            self.stdout.write("demo operations already present: nothing added")
