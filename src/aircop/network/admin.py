from django.contrib import admin

from aircop.core.admin_audit import AuditedModelAdmin
from aircop.network.models import Airport, Country, Membership, Region, Unit, UnitAgency, UnitGroup


class UnitAgencyInline(admin.TabularInline):
    model = UnitAgency
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "country", "airport", "connected_on", "is_active")
    list_filter = ("kind", "country__region", "is_active")
    search_fields = ("code", "name", "airport__iata")
    inlines = [UnitAgencyInline, MembershipInline]
    autocomplete_fields = ["airport", "covered_airports"]


@admin.register(UnitGroup)
class UnitGroupAdmin(AuditedModelAdmin):
    list_display = ("name", "slug")
    filter_horizontal = ("units",)


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "is_partner")


@admin.register(Country)
class CountryAdmin(AuditedModelAdmin):
    list_display = ("iso2", "iso3", "name", "region")
    list_filter = ("region",)
    search_fields = ("iso2", "iso3", "name")


@admin.register(Airport)
class AirportAdmin(AuditedModelAdmin):
    list_display = ("iata", "icao", "name", "city", "country", "tz")
    search_fields = ("iata", "icao", "name", "city")
