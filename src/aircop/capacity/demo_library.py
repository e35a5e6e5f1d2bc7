"""The demo's good-practices library (demo.py): about fifty short plain-text documents, per
topic, kind and language, with a few narrower readers scopes. Invented texts."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aircop.capacity import library
from aircop.capacity.codes import DocumentKind, Readers, TopicCode
from aircop.capacity.models import Document, DocumentReader
from aircop.core import uploads
from aircop.network.models import Region

TOPIC_NAMES = {
    "en": {
        "targeting": "passenger and cargo targeting",
        "intelligence": "intelligence analysis",
        "behavioural_analysis": "behavioural analysis",
        "inspection": "search and inspection techniques",
        "document_fraud": "forgery and document fraud",
        "forensics": "forensics and evidence handling",
        "cargo": "air cargo control",
        "mail": "postal and express mail control",
        "ethics": "ethics and integrity",
        "human_rights": "human rights at the border",
    },
    "fr": {
        "targeting": "ciblage des passagers et du fret",
        "intelligence": "analyse du renseignement",
        "behavioural_analysis": "analyse comportementale",
        "inspection": "techniques de fouille et d'inspection",
        "document_fraud": "faux documents et fraude documentaire",
        "forensics": "criminalistique et gestion des preuves",
        "cargo": "contrôle du fret aérien",
        "mail": "contrôle du courrier postal et express",
        "ethics": "éthique et intégrité",
        "human_rights": "droits humains à la frontière",
    },
    "es": {
        "targeting": "selección de pasajeros y carga",
        "intelligence": "análisis de inteligencia",
        "behavioural_analysis": "análisis del comportamiento",
        "inspection": "técnicas de registro e inspección",
        "document_fraud": "falsificación y fraude documental",
    },
    "pt": {
        "targeting": "seleção de passageiros e carga",
        "cargo": "controlo da carga aérea",
        "document_fraud": "falsificação e fraude documental",
    },
    "ar": {"targeting": "استهداف الركاب والبضائع", "human_rights": "حقوق الإنسان على الحدود"},
}

KIND_TITLES = {
    "en": {
        DocumentKind.CURRICULUM: "Curriculum: {topic}",
        DocumentKind.SOP: "Standard operating procedure: {topic}",
        DocumentKind.GOOD_PRACTICE: "Good-practice note: {topic}",
    },
    "fr": {DocumentKind.CURRICULUM: "Programme de formation : {topic}"},
    "es": {DocumentKind.CURRICULUM: "Plan de estudios: {topic}"},
    "pt": {DocumentKind.CURRICULUM: "Programa de formação: {topic}"},
    "ar": {DocumentKind.CURRICULUM: "منهج تدريبي: {topic}"},
}

SUMMARIES = {
    DocumentKind.CURRICULUM: "The programme's standard course on {topic}: objectives, sessions, exercises and "
    "the assessment of the trainees.",
    DocumentKind.SOP: "How a joint airport interdiction task force works on {topic}, step by step, with the "
    "roles of each agency and the records to keep.",
    DocumentKind.GOOD_PRACTICE: "What task forces of the network learnt about {topic}: cases, results and "
    "pitfalls to avoid.",
}

# (index in the generated list, readers, targets): the rest is for the whole network.
NARROW = {
    3: (Readers.REGION, ["wca"]),
    7: (Readers.REGION, ["lac"]),
    11: (Readers.REGION, ["wca", "esa"]),
    15: (Readers.COUNTRY, ["SN"]),
    19: (Readers.COUNTRY, ["CO", "PA"]),
    23: (Readers.UNITS, ["jaitf-lfw", "jaitf-acc"]),
    27: (Readers.UNITS, ["jaitf-dss"]),
    35: (Readers.REGION, ["mena"]),
}


def specs() -> list[dict]:
    """Every demo document: kind, title, summary, language, topics, readers, targets, text."""
    out = []
    for topic in TopicCode.values:
        name = TOPIC_NAMES["en"][topic]
        for kind in (DocumentKind.CURRICULUM, DocumentKind.SOP, DocumentKind.GOOD_PRACTICE):
            out.append(_spec(kind, "en", topic, name))
    for language in ("fr", "es", "pt", "ar"):
        for topic, name in TOPIC_NAMES[language].items():
            out.append(_spec(DocumentKind.CURRICULUM, language, topic, name))
    for i, spec in enumerate(out):
        spec["readers"], spec["targets"] = NARROW.get(i, (Readers.NETWORK, []))
    return out


def _spec(kind: str, language: str, topic: str, name: str) -> dict:
    title = KIND_TITLES[language][kind].format(topic=name)
    summary = SUMMARIES[kind].format(topic=TOPIC_NAMES["en"][topic])
    sessions = "\n".join(
        f"{n}. Session {n}: {part} ({TOPIC_NAMES['en'][topic]})"
        for n, part in enumerate(
            (
                "principles and legal framework",
                "indicators and risk",
                "practical exercise",
                "case study",
                "review",
            ),
            1,
        )
    )
    text = (
        f"{title}\n{'=' * len(title)}\n\nAIRCOP — synthetic demo document (aircop demo): invented text.\n\n"
        f"{summary}\n\n{sessions}\n\nLanguage: {language}. Topic: {topic}.\n"
    )
    return {
        "kind": kind,
        "title": title,
        "summary": summary,
        "language": language,
        "topics": [topic]
        if kind != DocumentKind.CURRICULUM
        else [topic, "ethics"]
        if topic != "ethics"
        else [topic],
        "text": text,
        "name": f"{kind}-{topic}-{language}.txt",
    }


def write(units: dict, now, written: list[Path]) -> int:
    """Store the files and bulk-insert the documents, their topics and readers (units: by code)."""
    regions = {r.code: r for r in Region.objects.all()}
    docs, readers, topics = [], [], []
    for spec in specs():
        data = spec["text"].encode()
        docs.append(
            Document(
                kind=spec["kind"], title=spec["title"], summary=spec["summary"], language=spec["language"],
                readers=spec["readers"], owner_unit=units["aircop-pcu"], name=spec["name"],
                content_type=library.TEXT, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                stored_name=uploads.store(library.KIND, data, None, written), created_at=now, updated_at=now,
            )
        )  # fmt: skip
        docs[-1].spec = spec
    Document.objects.bulk_create(docs)
    for d in docs:
        topics += [Document.topics.through(document_id=d.pk, topic_id=t) for t in d.spec["topics"]]
        for target in d.spec["targets"]:
            if d.readers == "region":
                readers.append(DocumentReader(document=d, region=regions[target]))
            elif d.readers == "country":
                readers.append(DocumentReader(document=d, country_id=target))
            elif target in units:
                readers.append(DocumentReader(document=d, unit=units[target]))
    Document.topics.through.objects.bulk_create(topics)
    DocumentReader.objects.bulk_create(readers)
    return len(docs)
