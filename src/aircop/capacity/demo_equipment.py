"""The demo's equipment (demo.py): what the programme provides to a task force over the
years after it is connected, with plausible values, donors and conditions. Invented."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from aircop.capacity.codes import Condition, EquipmentCategory

# category -> (weight, [(description, low, high value in USD)])
KINDS = {
    EquipmentCategory.OFFICE_IT: (6, [("Laptop computer", 900, 1600), ("Desktop computer and screen", 700, 1200),
                                      ("Multifunction printer", 400, 900), ("Secure internet connection (VSAT kit)",
                                                                                2500, 6000)]),
    EquipmentCategory.PHOTOGRAPHIC: (2, [("Digital camera with flash", 500, 1400)]),
    EquipmentCategory.INSPECTION_TOOLS: (4, [("Fibrescope", 3000, 9000), ("Density meter", 6000, 12000),
                                             ("Contraband detection kit (mirrors, probes, torches)", 1500, 4000)]),
    EquipmentCategory.MOBILE_FORENSICS: (1, [("Mobile-device forensic kit", 12000, 25000)]),
    EquipmentCategory.DRUG_TRACE: (2, [("Drug trace detector (ion mobility)", 25000, 45000),
                                       ("Narcotics field test kits", 300, 900)]),
    EquipmentCategory.EXPLOSIVE_TRACE: (1, [("Explosive trace detector", 28000, 50000)]),
    EquipmentCategory.SPECTROMETER: (1, [("Handheld Raman spectrometer", 30000, 60000)]),
    EquipmentCategory.XRAY: (1, [("Cabinet X-ray scanner for parcels", 60000, 140000)]),
    EquipmentCategory.OTHER: (1, [("Unmarked vehicle", 18000, 35000), ("Office furniture", 1500, 4000)]),
}  # fmt: skip
DONORS = ("European Union", "Canada", "Japan", "United States", "Norway", "Germany", "France", "UNODC AIRCOP")


def _condition(rng: random.Random, age_days: int) -> str:
    if age_days < 365:
        return Condition.NEW
    roll = rng.random() * min(1.0, age_days / (365 * 8))
    if roll > 0.55:
        return Condition.OUT_OF_SERVICE
    if roll > 0.35:
        return Condition.NEEDS_REPAIR
    return Condition.GOOD


def equipment_for(rng: random.Random, unit, n: int, end: date) -> list[dict]:
    """The items provided to ``unit`` (the n-th task force), as Equipment fields."""
    connected = unit.connected_on or date(2011, 1, 3)
    if connected > end:
        return []
    categories = list(KINDS)
    weights = [KINDS[c][0] for c in categories]
    items = []
    for k in range(rng.randint(3, 9)):
        category = rng.choices(categories, weights=weights)[0]
        description, low, high = rng.choice(KINDS[category][1])
        provided = connected + timedelta(days=rng.randint(0, max(0, (end - connected).days)))
        currency = "EUR" if rng.random() < 0.3 else "USD"
        value = Decimal(rng.randint(low, high)).quantize(Decimal("1")) if rng.random() < 0.9 else None
        items.append(
            {
                "category": category,
                "description": description,
                "provided_on": provided,
                "value": value,
                "currency": currency if value is not None else "",
                "condition": _condition(rng, (end - provided).days),
                "donor": rng.choice(DONORS),
                "serial_number": f"{category[:3].upper()}-{unit.airport.iata}-{k + 1:03d}",
                "notes": "Synthetic demo item (aircop demo).",
            }
        )
    return items
