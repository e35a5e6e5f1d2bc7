"""The `aircop` command: Django's manage.py with AIRCOP's settings, and start-up checks
that stop with one line naming the environment variable at fault.

    aircop serve [--host H] [--port P]   aircop migrate   aircop demo
    aircop createuser NAME --role R      aircop token NAME   aircop audit verify
    aircop unlock NAME                   aircop help (every command)
"""

from __future__ import annotations

import os
import sys

# Commands that never touch the database.
NO_DATABASE = {
    "help",
    "--help",
    "-h",
    "version",
    "--version",
    "compilemessages",
    "makemessages",
    "check",
    "paxlst",
    "pnr",
    "screen",
    "mrz",
}


def _fail(message: str) -> None:
    print(f"aircop: {message}", file=sys.stderr)
    sys.exit(2)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def check_database() -> None:
    from django.db import connection
    from django.db.utils import Error as DatabaseError

    variable = "AIRCOP_DATABASE_URL" if os.environ.get("AIRCOP_DATABASE_URL") else "the embedded database"
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        # Straight to the server, outside the pool, so a wrong address fails fast and plainly.
        import psycopg

        try:
            psycopg.connect(
                dbname=settings_dict["NAME"],
                user=settings_dict.get("USER") or None,
                password=settings_dict.get("PASSWORD") or None,
                host=settings_dict.get("HOST") or None,
                port=settings_dict.get("PORT") or None,
                connect_timeout=5,
            ).close()
        except psycopg.Error as exc:
            _fail(
                f"{variable}: cannot connect to database {settings_dict['NAME']!r} on "
                f"{settings_dict.get('HOST') or 'local'}: {_first_line(exc)}"
            )
        return
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        name = connection.settings_dict.get("NAME")
        host = connection.settings_dict.get("HOST") or "local"
        _fail(f"{variable}: cannot connect to database {name!r} on {host}: {_first_line(exc)}")


def check_redis() -> None:
    from django.conf import settings

    url = settings.CONFIG.redis_url
    if not url:
        return
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:  # any failure to reach Redis
        _fail(f"AIRCOP_REDIS_URL: cannot reach Redis: {_first_line(exc)}")


def create_database() -> None:
    """`aircop production --create-database`: before the connection check, which would stop
    on a database that does not exist yet."""
    from aircop.web.production import ProductionError, ensure_database

    url = os.environ.get("AIRCOP_DATABASE_URL", "")
    if not url:
        _fail("AIRCOP_DATABASE_URL: --create-database needs a PostgreSQL URL")
    try:
        if ensure_database(url):
            print(f"aircop: database {url.rsplit('/', 1)[1]!r} created", file=sys.stderr)
    except ProductionError as exc:
        _fail(str(exc))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aircop.settings")
    from aircop.core.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        _fail(str(exc))
    command = argv[0] if argv else "help"
    if command == "production" and "--create-database" in argv:
        create_database()
    if command not in NO_DATABASE:
        check_database()
    if command == "serve":
        check_redis()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aircop", *argv])


if __name__ == "__main__":
    main()
