"""What the PostgreSQL benchmarks share: a scratch database on the server of BENCH_PG, and Django set up on it."""

import os

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def setup_django(db: str, **environment: str) -> None:
    """Django on the scratch database, production-like (DEBUG off), with plain static storage and no SSL redirect."""
    os.environ["DATABASE_URL"] = f"{SERVER}/{db}"
    for name, value in {
        "DJANGO_SETTINGS_MODULE": "tissu.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver",
        "TISSU_TESTING": "true",
        **environment,
    }.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def database(db: str, *, drop: bool = False) -> None:
    """Create the scratch database if missing, or drop it (closing its connections) with drop=True."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        elif not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            conn.execute(f'CREATE DATABASE "{db}"')
