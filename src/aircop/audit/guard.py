"""Database triggers that make the audit table append-only (SQLite and PostgreSQL).

``install`` runs in the initial migration. ``remove`` exists for two deliberate operations
only: the tamper test (which must be able to change a row to prove verify notices) and
restoring a backup; both re-install the guard afterwards.
"""

TABLE = "audit_auditentry"

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END""",
]
_SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

_PG_INSTALL = [
    """CREATE OR REPLACE FUNCTION aircop_audit_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
       END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    f"""CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION aircop_audit_append_only()""",
]
_PG_REMOVE = [f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}"]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, _PG_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE_INSTALL)
    else:
        raise RuntimeError(f"no append-only guard for database vendor {connection.vendor}")


def remove(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, _PG_REMOVE)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE_REMOVE)


def installed(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_append_only' AND NOT tgisinternal"
            )
            return cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('audit_no_update', 'audit_no_delete')"
        )
        return cursor.fetchone()[0] == 2
