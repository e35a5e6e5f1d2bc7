"""The code lists of capacity building (docs/capacity.md): kinds of activity, levels, topics,
languages, the library's kinds and reader scopes, equipment categories and conditions.
Stored values are the short English codes; labels go through gettext."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    BASIC_TRAINING = "basic_training", _("Basic training")
    SPECIALISED_TRAINING = "specialised_training", _("Specialised training")
    MENTORING = "mentoring", _("Mentoring")
    STUDY_VISIT = "study_visit", _("Study visit")
    EXCHANGE = "exchange", _("Exchange programme between units")
    REGIONAL_MEETING = "regional_meeting", _("Regional meeting")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")


class TopicCode(models.TextChoices):
    TARGETING = "targeting", _("Targeting")
    INTELLIGENCE = "intelligence", _("Intelligence")
    BEHAVIOURAL_ANALYSIS = "behavioural_analysis", _("Behavioural analysis")
    INSPECTION = "inspection", _("Inspection")
    DOCUMENT_FRAUD = "document_fraud", _("Forgery and document fraud")
    FORENSICS = "forensics", _("Forensics")
    CARGO = "cargo", _("Cargo")
    MAIL = "mail", _("Mail")
    ETHICS = "ethics", _("Ethics and integrity")
    HUMAN_RIGHTS = "human_rights", _("Human rights")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified")


class Language(models.TextChoices):
    """The programme's working languages: activities and library documents."""

    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    AR = "ar", _("Arabic")


class DocumentKind(models.TextChoices):
    CURRICULUM = "curriculum", _("Curriculum")
    SOP = "sop", _("Standard operating procedure")
    GOOD_PRACTICE = "good_practice", _("Good-practice note")


class Readers(models.TextChoices):
    """Who may read a library document, besides programme staff."""

    NETWORK = "network", _("The whole network")
    REGION = "region", _("A region")
    COUNTRY = "country", _("A country")
    UNITS = "units", _("Named units")


class EquipmentCategory(models.TextChoices):
    OFFICE_IT = "office_it", _("Office and IT")
    PHOTOGRAPHIC = "photographic", _("Photographic")
    INSPECTION_TOOLS = "inspection_tools", _("Inspection tools")
    MOBILE_FORENSICS = "mobile_forensics", _("Testing: mobile-device forensics")
    DRUG_TRACE = "drug_trace", _("Testing: drug trace detection")
    EXPLOSIVE_TRACE = "explosive_trace", _("Testing: explosive trace detection")
    SPECTROMETER = "spectrometer", _("Testing: spectrometer")
    XRAY = "xray", _("X-ray")
    OTHER = "other", _("Other")


class Condition(models.TextChoices):
    NEW = "new", _("New")
    GOOD = "good", _("Good")
    NEEDS_REPAIR = "needs_repair", _("Needs repair")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")


def topic_label(code: str) -> str:
    try:
        return TopicCode(code).label
    except ValueError:
        return code


def topic_labels(codes) -> list[str]:
    return [topic_label(c) for c in codes]
