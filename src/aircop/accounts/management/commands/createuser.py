import getpass
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aircop.accounts import services
from aircop.accounts.models import Role, VettingStatus
from aircop.core.context import ActorContext, set_for_process
from aircop.core.errors import ServiceError
from aircop.network import services as network_services
from aircop.network.models import AgencyKind, Unit


class Command(BaseCommand):
    help = (
        "Create a user. The password is asked for (or read from stdin with --password-stdin); "
        "the user enrols an authenticator app at first sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            metavar="CODE",
            help="unit code (repeatable), e.g. jaitf-lfw",
        )
        parser.add_argument("--agency", default="other", choices=AgencyKind.values)
        parser.add_argument("--head", action="store_true", help="make the user head of the unit(s)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--vetted", metavar="DATE", help="vetting date (YYYY-MM-DD): marks the user vetted"
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(self, *args, **o):
        set_for_process(ActorContext(channel="cli"))
        units = []
        for code in o["unit"]:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"--unit: no unit with code {code!r}")
            units.append(unit)
        if o["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("password: the two entries differ")
        vetting_date = None
        if o["vetted"]:
            from datetime import date

            try:
                vetting_date = date.fromisoformat(o["vetted"])
            except ValueError:
                raise CommandError(f"--vetted: {o['vetted']!r} is not a date (YYYY-MM-DD)") from None
        try:
            with transaction.atomic():
                user = services.create_user(
                    actor=None,
                    username=o["username"],
                    password=password,
                    role=o["role"],
                    email=o["email"],
                    first_name=o["first_name"],
                    last_name=o["last_name"],
                    vetting_status=VettingStatus.VETTED if vetting_date else VettingStatus.PENDING,
                    vetting_date=vetting_date,
                )
                for unit in units:
                    network_services.add_member(
                        actor=None, user=user, unit=unit, agency=o["agency"], is_head=o["head"]
                    )
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"created {user.username} ({user.get_role_display()}); "
            "an authenticator app is enrolled at the first sign-in"
        )
