from django.core.management.base import BaseCommand, CommandError

from aircop.accounts import services
from aircop.accounts.models import User
from aircop.core.context import ActorContext, set_for_process


class Command(BaseCommand):
    help = "Unlock an account locked after repeated failed sign-ins (also reset its second factor with --reset-2fa)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset-2fa", action="store_true", help="remove the authenticator app (re-enrol at sign-in)"
        )

    def handle(self, *args, username, reset_2fa, **options):
        set_for_process(ActorContext(channel="cli"))
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"USERNAME: no user named {username!r}")
        services.unlock_user(actor=None, user=user)
        if reset_2fa:
            services.reset_second_factor(actor=None, user=user)
        self.stdout.write(f"{username} unlocked" + (" and second factor reset" if reset_2fa else ""))
