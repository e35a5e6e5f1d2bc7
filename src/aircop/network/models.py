from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    is_partner = models.BooleanField(
        default=False, help_text=_("Partner destination region (e.g. Europe), not an AIRCOP region")
    )

    class Meta:
        ordering = ["is_partner", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Country(models.Model):
    """ISO 3166-1 country, loaded from pycountry."""

    iso2 = models.CharField(max_length=2, primary_key=True)
    iso3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=120)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="countries"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_upper"),
            models.CheckConstraint(condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="country_iso3_upper"),
        ]

    def __str__(self):
        return self.name


class Airport(models.Model):
    """An international airport, from airportsdata (IATA/ICAO, time zone, coordinates)."""

    iata = models.CharField(max_length=3, unique=True)
    icao = models.CharField(max_length=4, blank=True)
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=120, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="airports")
    tz = models.CharField(max_length=64, verbose_name=_("time zone"))
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["iata"]
        verbose_name = _("airport")
        verbose_name_plural = _("airports")
        constraints = [
            models.CheckConstraint(condition=Q(iata__regex=r"^[A-Z]{3}$"), name="airport_iata_upper"),
        ]

    def __str__(self):
        return f"{self.iata} — {self.name}"


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    CUSTOMS = "customs", _("Customs")
    IMMIGRATION = "immigration", _("Immigration")
    AIRPORT_AUTHORITY = "airport_authority", _("Airport authority")
    NATIONAL_SECURITY = "national_security", _("National security")
    DRUG_ENFORCEMENT = "drug_enforcement", _("Drug enforcement")
    OTHER = "other", _("Other")


class UnitKind(models.TextChoices):
    JAITF = "jaitf", _("Joint Airport Interdiction Task Force")
    NATIONAL_HQ = "national_hq", _("National headquarters")
    LIAISON = "liaison", _("Liaison officer post")
    AIRLINE = "airline", _("Airline security contact")
    REGIONAL_OFFICE = "regional_office", _("Programme regional office")


class Unit(models.Model):
    code = models.SlugField(max_length=40, unique=True, help_text=_("Stable identifier, e.g. jaitf-lfw"))
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    name = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="units")
    airport = models.ForeignKey(
        Airport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("The airport of a task force"),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
        help_text=_("The region a programme office covers"),
    )
    covered_airports = models.ManyToManyField(
        Airport, blank=True, related_name="liaison_units", help_text=_("Airports a liaison officer covers")
    )
    airline_code = models.CharField(max_length=3, blank=True, help_text=_("IATA airline designator"))
    decree_reference = models.CharField(max_length=120, blank=True, verbose_name=_("founding decree"))
    decree_date = models.DateField(null=True, blank=True, verbose_name=_("decree date"))
    connected_on = models.DateField(null=True, blank=True, verbose_name=_("connected to the network on"))
    mandate_passengers = models.BooleanField(default=True, verbose_name=_("mandate: passengers"))
    mandate_cargo = models.BooleanField(default=True, verbose_name=_("mandate: cargo"))
    mandate_mail = models.BooleanField(default=True, verbose_name=_("mandate: mail"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="jaitf") | Q(airport__isnull=False), name="unit_jaitf_has_airport"
            ),
            models.CheckConstraint(
                condition=~Q(kind="airline") | ~Q(airline_code=""), name="unit_airline_has_code"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def mandate(self) -> list[str]:
        return [
            name
            for name, on in (
                ("passengers", self.mandate_passengers),
                ("cargo", self.mandate_cargo),
                ("mail", self.mandate_mail),
            )
            if on
        ]


class UnitAgency(models.Model):
    """A member agency of a unit (customs, police ...), with its national name."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="agencies")
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    name = models.CharField(max_length=200, blank=True, help_text=_("The agency's own name"))

    class Meta:
        ordering = ["unit", "kind"]
        verbose_name = _("member agency")
        verbose_name_plural = _("member agencies")
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="unit_agency_once")]

    def __str__(self):
        return self.name or self.get_kind_display()


class UnitGroup(models.Model):
    """A named set of units, used as an audience (e.g. "West Africa JAITFs")."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    units = models.ManyToManyField(Unit, related_name="groups", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group of units")
        verbose_name_plural = _("groups of units")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in a unit, with the agency they come from."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    agency = models.CharField(max_length=20, choices=AgencyKind.choices)
    is_head = models.BooleanField(default=False)
    since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_once")]

    def __str__(self):
        return f"{self.user} @ {self.unit}"
