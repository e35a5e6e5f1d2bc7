from django.core.management.base import BaseCommand, CommandError

from aircop.accounts import services
from aircop.accounts.models import ApiToken, User
from aircop.core.context import ActorContext, set_for_process
from aircop.core.errors import ServiceError


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it once. --list shows tokens, --revoke PREFIX revokes one."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="validity in days (1-366, default 90)")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument("--list", action="store_true", help="list the user's tokens instead")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token starting with PREFIX")

    def handle(self, *args, username, days, name, list, revoke, **options):  # noqa: A002
        set_for_process(ActorContext(channel="cli"))
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"USERNAME: no user named {username!r}")
        if list:
            for t in ApiToken.objects.filter(user=user):
                state = "revoked" if t.revoked_at else "active" if t.is_valid else "expired"
                self.stdout.write(f"{t.prefix}…  {state:8}  expires {t.expires_at:%Y-%m-%d}  {t.name}")
            return
        if revoke:
            matches = [
                t
                for t in ApiToken.objects.filter(user=user)
                if t.prefix.startswith(revoke) or revoke.startswith(t.prefix)
            ]
            if len(matches) != 1:
                raise CommandError(
                    f"--revoke: {len(matches)} tokens of {username} match {revoke!r} (need exactly one)"
                )
            services.revoke_token(actor=None, token=matches[0])
            self.stdout.write(f"revoked {matches[0].prefix}…")
            return
        try:
            _token, raw = services.create_token(actor=None, user=user, days=days, name=name)
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
        self.stderr.write(
            f"token for {username}, valid {days} days; it is not stored and will not be shown again"
        )
