"""Risk rules from the command line (docs/risk-rules.md, "Writing, testing and activating a rule"):

    aircop rule create NAME --owner UNIT --title T --expression TEXT [--severity S] [--tlp L] [--as USERNAME]
    aircop rule version NAME --expression TEXT [--note N] [--as USERNAME]
    aircop rule test NAME [--version N] --from DATE --until DATE --as USERNAME
    aircop rule activate NAME --version N --as USERNAME
    aircop rule deactivate NAME [--as USERNAME]
    aircop rule list

Without ``--as`` a write is made as the system (the operator of the server). A test reads
passenger data, so it is made as somebody: the flights that user may see. Activation is a
decision of the owning unit and is made as somebody too.

Exit codes: 0 done; 1 the rule's text is refused (syntax or the human-rights guard), or the
version was never tested; 2 the command cannot run (no such rule, user or unit, bad option)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from aircop.accounts.models import User
from aircop.core.context import ActorContext, set_for_process
from aircop.core.errors import ServiceError
from aircop.messaging.models import Tlp
from aircop.screening import selectors_hits, services_rules
from aircop.screening.models import RiskRule, Severity


def _rate(value, digits: int = 2) -> str:
    return "-" if value is None else f"{value * 100:.{digits}f}%"


class Command(BaseCommand):
    help = "Risk rules: `aircop rule create|version|test|activate|deactivate|list` (docs/risk-rules.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a rule; its text becomes version 1 (not active)")
        create.add_argument("name")
        create.add_argument("--owner", required=True, help="code of the owning unit")
        create.add_argument("--title", required=True)
        create.add_argument("--expression", required=True, help="the rule's condition")
        create.add_argument("--severity", default=Severity.MEDIUM, choices=Severity.values)
        create.add_argument("--tlp", default=Tlp.AMBER, choices=Tlp.values)
        create.add_argument("--description", default="")
        create.add_argument("--note", default="", help="about version 1")
        create.add_argument("--as", dest="username", metavar="USERNAME", help="act as this user")
        version = sub.add_parser("version", help="write a new version of a rule's text")
        version.add_argument("name")
        version.add_argument("--expression", required=True)
        version.add_argument("--note", default="", help="what changed")
        version.add_argument("--as", dest="username", metavar="USERNAME")
        test = sub.add_parser("test", help="try a version on past manifests the user may see")
        test.add_argument("name")
        test.add_argument("--version", type=int, help="default: the newest version")
        test.add_argument("--from", dest="since", required=True, metavar="DATE", help="first departure date")
        test.add_argument("--until", required=True, metavar="DATE", help="last departure date")
        test.add_argument("--as", dest="username", metavar="USERNAME", required=True)
        activate = sub.add_parser("activate", help="screen arriving manifests with a tested version")
        activate.add_argument("name")
        activate.add_argument("--version", type=int, required=True)
        activate.add_argument("--as", dest="username", metavar="USERNAME", required=True)
        deactivate = sub.add_parser("deactivate", help="stop screening with a rule")
        deactivate.add_argument("name")
        deactivate.add_argument("--as", dest="username", metavar="USERNAME")
        sub.add_parser("list", help="the rules with their active version and rates")

    # ------------------------------------------------------------------ helpers
    def _user(self, username):
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user {username!r}", returncode=2)
        return user

    def _rule(self, name) -> RiskRule:
        rule = RiskRule.objects.select_related("owner", "active_version").filter(name=name).first()
        if rule is None:
            raise CommandError(f"no rule named {name!r}", returncode=2)
        return rule

    def _refused(self, exc: ServiceError):
        text = f"{exc.field}: {exc.message}" if exc.field else exc.message
        code = 1 if exc.field in ("expression", "version") and exc.code != "forbidden" else 2
        return CommandError(text, returncode=code)

    # ------------------------------------------------------------------ actions
    def handle(self, *args, action, **options):
        set_for_process(ActorContext(channel="cli"))
        getattr(self, f"do_{action}")(**options)

    def do_create(self, *, name, owner, title, expression, severity, tlp, description, note, username, **_):
        actor = self._user(username)
        try:
            rule = services_rules.create_rule(
                actor=actor,
                name=name,
                title=title,
                owner=owner,
                expression=expression,
                description=description,
                severity=severity,
                tlp=tlp,
                note=note,
            )
        except ServiceError as exc:
            raise self._refused(exc) from None
        version = rule.versions.get(number=1)
        self.stdout.write(
            f"rule {rule.name} created (owner {rule.owner.code}), version 1: {version.canonical}"
        )
        self.stdout.write("test it on past manifests (`aircop rule test`) before activating it")

    def do_version(self, *, name, expression, note, username, **_):
        rule, actor = self._rule(name), self._user(username)
        try:
            version = services_rules.new_version(actor=actor, rule=rule, expression=expression, note=note)
        except ServiceError as exc:
            raise self._refused(exc) from None
        self.stdout.write(f"rule {rule.name} version {version.number}: {version.canonical}")

    def do_test(self, *, name, version, since, until, username, **_):
        rule, actor = self._rule(name), self._user(username)
        versions = rule.versions.order_by("-number")
        found = versions.filter(number=version).first() if version else versions.first()
        if found is None:
            raise CommandError(f"--version: rule {rule.name} has no version {version}", returncode=2)
        try:
            result = services_rules.test_version(actor=actor, version=found, since=since, until=until)
        except ServiceError as exc:
            raise self._refused(exc) from None
        self.stdout.write(
            f"rule {rule.name} version {found.number}, departures {result['from']} to {result['until']}: "
            f"fired on {result['hits']} of {result['travellers']} travellers (flights: {result['flights']}) "
            f"({_rate(result['hit_rate'])})"
        )
        for match in result["sample"]:
            self.stdout.write(
                f"  traveller {match['traveller']} flight {match['flight']}: "
                + "; ".join(match["explanation"])
            )

    def do_activate(self, *, name, version, username, **_):
        rule, actor = self._rule(name), self._user(username)
        try:
            services_rules.activate(actor=actor, rule=rule, version_number=version)
        except ServiceError as exc:
            raise self._refused(exc) from None
        self.stdout.write(f"rule {rule.name}: version {version} is active")

    def do_deactivate(self, *, name, username, **_):
        rule, actor = self._rule(name), self._user(username)
        try:
            services_rules.deactivate(actor=actor, rule=rule)
        except ServiceError as exc:
            raise self._refused(exc) from None
        self.stdout.write(f"rule {rule.name}: inactive")

    def do_list(self, **_):
        rules = RiskRule.objects.select_related("owner", "active_version").order_by("name")
        for rule in rules:
            counts = selectors_hits.rule_counts(rule)
            active = f"v{rule.active_version.number}" if rule.active_version_id else "inactive"
            self.stdout.write(
                f"{rule.name}\t{rule.owner.code}\t{rule.severity}\t{active}\t"
                f"hits {counts['hits']}\thit rate {_rate(counts['hit_rate'])}\t"
                f"outcome rate {_rate(counts['outcome_rate'], 0)}"
            )
        if not rules:
            self.stdout.write("no rule")
