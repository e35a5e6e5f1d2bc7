"""The maintained code lists of the seizure register (docs/seizures.md).

Codes are stable, lower-case identifiers stored in the database and used in imports,
exports and the API; labels are translated. A code is never renamed or reused: a code that
goes out of use stays in the list so that old records keep their meaning."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Flow(models.TextChoices):
    PASSENGER_BODY = "passenger_body", _("Passenger, on the body")
    CHECKED_BAGGAGE = "checked_baggage", _("Checked baggage")
    CABIN_BAGGAGE = "cabin_baggage", _("Cabin baggage")
    CARGO = "cargo", _("Cargo")
    MAIL = "mail", _("Mail")
    EXPRESS_COURIER = "express_courier", _("Express courier")
    CREW = "crew", _("Crew")
    AIRCRAFT = "aircraft", _("Aircraft")


class Phase(models.TextChoices):
    PRE_DEPARTURE = "pre_departure", _("Pre-departure")
    DEPARTURE = "departure", _("Departure")
    PRE_ARRIVAL = "pre_arrival", _("Pre-arrival")
    ARRIVAL = "arrival", _("Arrival")
    POST_ARRIVAL = "post_arrival", _("Post-arrival")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    TRANSIT = "transit", _("Transit")


class Category(models.TextChoices):
    DRUGS = "drugs", _("Drugs")
    MEDICINES = "medicines", _("Medicines (incl. falsified)")
    WILDLIFE = "wildlife", _("Wildlife")
    WEAPONS = "weapons", _("Weapons and ammunition")
    EXPLOSIVES = "explosives", _("Explosives")
    CURRENCY = "currency", _("Currency")
    COUNTERFEIT = "counterfeit", _("Counterfeit goods")
    CULTURAL = "cultural", _("Cultural goods")
    TOBACCO = "tobacco", _("Tobacco")
    OTHER = "other", _("Other")


# Subtypes per category: code -> label. A subtype belongs to exactly one category.
SUBTYPES: dict[str, dict[str, str]] = {
    Category.DRUGS: {
        "cocaine": _("Cocaine"),
        "crack": _("Crack cocaine"),
        "cannabis_herb": _("Cannabis herb"),
        "cannabis_resin": _("Cannabis resin"),
        "heroin": _("Heroin"),
        "opium": _("Opium"),
        "methamphetamine": _("Methamphetamine"),
        "amphetamine": _("Amphetamine"),
        "mdma": _("MDMA (ecstasy)"),
        "captagon": _("Captagon"),
        "tramadol": _("Tramadol"),
        "khat": _("Khat"),
        "ketamine": _("Ketamine"),
        "fentanyl": _("Fentanyl and analogues"),
        "nps": _("New psychoactive substances"),
        "precursors": _("Precursor chemicals"),
        "other_drug": _("Other drug"),
    },
    Category.MEDICINES: {
        "falsified_antimalarials": _("Falsified antimalarials"),
        "falsified_antibiotics": _("Falsified antibiotics"),
        "falsified_painkillers": _("Falsified painkillers"),
        "falsified_other": _("Other falsified medicines"),
        "unlicensed_medicines": _("Unlicensed or undeclared medicines"),
    },
    Category.WILDLIFE: {
        "pangolin_scales": _("Pangolin scales"),
        "ivory": _("Ivory"),
        "rhino_horn": _("Rhino horn"),
        "live_animals": _("Live animals"),
        "reptile_skins": _("Reptile skins"),
        "bushmeat": _("Bushmeat"),
        "birds": _("Birds and eggs"),
        "marine_species": _("Marine species (e.g. shark fins, sea cucumbers)"),
        "protected_timber": _("Protected timber and plants"),
        "other_wildlife": _("Other wildlife"),
    },
    Category.WEAPONS: {
        "firearms": _("Firearms"),
        "firearm_parts": _("Firearm parts"),
        "ammunition": _("Ammunition"),
        "bladed_weapons": _("Bladed weapons"),
        "other_weapon": _("Other weapon"),
    },
    Category.EXPLOSIVES: {
        "explosives": _("Explosives"),
        "detonators": _("Detonators"),
        "other_explosive": _("Other explosive"),
    },
    Category.CURRENCY: {
        "banknotes": _("Banknotes"),
        "gold": _("Gold"),
        "precious_stones": _("Precious stones"),
        "negotiable_instruments": _("Bearer negotiable instruments"),
    },
    Category.COUNTERFEIT: {
        "counterfeit_clothing": _("Clothing and accessories"),
        "counterfeit_electronics": _("Electronics"),
        "counterfeit_cosmetics": _("Cosmetics"),
        "counterfeit_documents": _("Forged travel or identity documents"),
        "other_counterfeit": _("Other counterfeit goods"),
    },
    Category.CULTURAL: {
        "antiquities": _("Antiquities"),
        "artworks": _("Works of art"),
        "other_cultural": _("Other cultural goods"),
    },
    Category.TOBACCO: {
        "cigarettes": _("Cigarettes"),
        "tobacco": _("Tobacco"),
        "shisha": _("Water-pipe tobacco"),
    },
    Category.OTHER: {
        "other": _("Other"),
    },
}

SUBTYPE_CATEGORY: dict[str, str] = {code: cat for cat, codes in SUBTYPES.items() for code in codes}


def subtype_label(code: str) -> str:
    return str(SUBTYPES.get(SUBTYPE_CATEGORY.get(code, ""), {}).get(code, code))


class DrugForm(models.TextChoices):
    POWDER = "powder", _("Powder")
    TABLETS = "tablets", _("Tablets")
    LIQUID = "liquid", _("Liquid")
    PLANT = "plant", _("Plant")
    CRYSTAL = "crystal", _("Crystal")
    RESIN = "resin", _("Resin")
    OTHER = "other", _("Other")


class QuantityUnit(models.TextChoices):
    G = "g", _("grams")
    KG = "kg", _("kilograms")
    L = "l", _("litres")
    ML = "ml", _("millilitres")
    TABLETS = "tablets", _("tablets")
    PIECES = "pieces", _("pieces")
    ANIMALS = "animals", _("animals")
    CURRENCY = "currency", _("currency amount")


# How a quantity becomes a mass in kg (docs/seizures.md, "Normalised mass"). Volumes count
# at the density of water: 1 l = 1 kg. Tablets, pieces, animals and money have no mass:
# they stay counts (or an amount) and are never added to kilograms.
KG_PER_UNIT: dict[str, Decimal] = {
    QuantityUnit.G: Decimal("0.001"),
    QuantityUnit.KG: Decimal("1"),
    QuantityUnit.L: Decimal("1"),
    QuantityUnit.ML: Decimal("0.001"),
}
COUNT_UNITS = {QuantityUnit.TABLETS, QuantityUnit.PIECES, QuantityUnit.ANIMALS}


def mass_kg(quantity: Decimal, unit: str) -> Decimal | None:
    factor = KG_PER_UNIT.get(unit)
    return None if factor is None else (quantity * factor).quantize(Decimal("0.001"))


class Concealment(models.TextChoices):
    INSIDE_BODY = "inside_body", _("Inside the body (swallowed or inserted)")
    STRAPPED_TO_BODY = "strapped_to_body", _("Strapped to the body")
    CLOTHING = "clothing", _("Clothing or shoes")
    BAGGAGE_LINING = "baggage_lining", _("False bottom or lining of baggage")
    INSIDE_GOODS = "inside_goods", _("Inside goods")
    FOOD = "food", _("Food")
    COSMETICS = "cosmetics", _("Cosmetics or toiletries")
    MAIL_ITEM = "mail_item", _("Mail item")
    CARGO_CONSIGNMENT = "cargo_consignment", _("Cargo consignment")
    ULD = "uld", _("Unit load device")
    AIRCRAFT_STRUCTURE = "aircraft_structure", _("Aircraft structure")
    NONE = "none", _("Not concealed")
    OTHER = "other", _("Other")


class Detection(models.TextChoices):
    RISK_PROFILING = "risk_profiling", _("Risk profiling on API/PNR")
    INTELLIGENCE = "intelligence", _("Intelligence tip-off")
    INTERNATIONAL_ALERT = "international_alert", _("International alert")
    RANDOM = "random", _("Random control")
    DOG = "dog", _("Detector dog")
    XRAY = "xray", _("X-ray")
    BODY_SCANNER = "body_scanner", _("Body scanner")
    TRACE = "trace", _("Trace detection")
    BEHAVIOUR = "behaviour", _("Behaviour and interview")
    DOCUMENT_CHECK = "document_check", _("Document check")


class PersonRole(models.TextChoices):
    COURIER = "courier", _("Courier")
    ORGANISER = "organiser", _("Organiser")
    RECIPIENT = "recipient", _("Recipient")
    SENDER = "sender", _("Sender or shipper")
    ACCOMPLICE = "accomplice", _("Accomplice")
    HIGH_RISK = "high_risk", _("High-risk passenger (e.g. suspected foreign terrorist fighter)")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "X", _("Unspecified")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("under 18")
    A18 = "18-24", _("18 to 24")
    A25 = "25-34", _("25 to 34")
    A35 = "35-44", _("35 to 44")
    A45 = "45-54", _("45 to 54")
    A55 = "55-64", _("55 to 64")
    A65 = "65+", _("65 and over")
    UNKNOWN = "unknown", _("unknown")


def age_band(age: int) -> str:
    """The band of an age in years (imports give ages; records keep bands)."""
    for limit, band in (
        (18, "0-17"),
        (25, "18-24"),
        (35, "25-34"),
        (45, "35-44"),
        (55, "45-54"),
        (65, "55-64"),
    ):
        if age < limit:
            return band
    return "65+"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")


# Statuses that figures count (docs/analytics.md); drafts never are.
COUNTED_STATUSES = (Status.SUBMITTED, Status.VALIDATED)
