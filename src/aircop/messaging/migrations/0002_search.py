"""The search entries of alerts (see aircop/messaging/search.py): an FTS5 table on SQLite,
a table of two tsvectors with GIN indexes on PostgreSQL. Existing alerts are indexed."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE messaging_alert_fts USING fts5("
    "alert_id UNINDEXED, public, nominal, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS messaging_alert_fts"]

PG_CREATE = [
    "CREATE TABLE messaging_alert_search ("
    " alert_id bigint PRIMARY KEY REFERENCES messaging_alert (id) ON DELETE CASCADE"
    " DEFERRABLE INITIALLY DEFERRED,"
    " public tsvector NOT NULL DEFAULT ''::tsvector,"
    " nominal tsvector NOT NULL DEFAULT ''::tsvector)",
    "CREATE INDEX messaging_alert_search_public ON messaging_alert_search USING gin (public)",
    "CREATE INDEX messaging_alert_search_nominal ON messaging_alert_search USING gin (nominal)",
]
PG_DROP = ["DROP TABLE IF EXISTS messaging_alert_search"]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        _run(connection, SQLITE_CREATE)
    elif connection.vendor == "postgresql":
        _run(connection, PG_CREATE)
    else:
        return
    from aircop.messaging import search

    Alert = apps.get_model("messaging", "Alert")
    Message = apps.get_model("messaging", "Message")
    db = connection.alias
    for alert in Alert.objects.using(db).order_by("pk").iterator(chunk_size=500):
        replies = (
            Message.objects.using(db).filter(alert_id=alert.pk).order_by("id").values_list("body", flat=True)
        )
        public, nominal = search.entry_words(
            title=alert.title, body=alert.body, details=alert.details, nominal=alert.nominal, replies=replies
        )
        search.write_entry(connection, alert.pk, public, nominal)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        _run(connection, SQLITE_DROP)
    elif connection.vendor == "postgresql":
        _run(connection, PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
