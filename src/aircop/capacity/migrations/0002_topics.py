"""The programme's training topics as rows (codes.TopicCode): activities, documents and
trainers' expertise point at them."""

from django.db import migrations

TOPICS = (
    "targeting",
    "intelligence",
    "behavioural_analysis",
    "inspection",
    "document_fraud",
    "forensics",
    "cargo",
    "mail",
    "ethics",
    "human_rights",
)


def add_topics(apps, schema_editor):
    Topic = apps.get_model("capacity", "Topic")
    for code in TOPICS:
        Topic.objects.get_or_create(code=code)


def remove_topics(apps, schema_editor):
    apps.get_model("capacity", "Topic").objects.filter(code__in=TOPICS).delete()


class Migration(migrations.Migration):
    dependencies = [("capacity", "0001_initial")]

    operations = [migrations.RunPython(add_topics, remove_topics)]
