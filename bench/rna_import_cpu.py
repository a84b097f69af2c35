"""Where an RNA import's CPU goes: this process (Python) and its PostgreSQL backend, measured in-process.

    DATABASE_URL=postgres://…/tissu_bench_import_cpu .venv/bin/python bench/rna_import_cpu.py FILE [LABEL]

On a shared machine the wall time of an import says more about the neighbours than about the code; the
CPU time of both sides (``time.process_time()`` here, ``/proc/<backend pid>/stat`` for the server
process, so PostgreSQL must run on this machine) varies much less. The database must be migrated: the
directory is emptied first (TRUNCATE), then the file imported with ``--all`` through the real service.
Run two versions of the code one after the other, several times, and compare the minimums.
Parallel workers of index builds (first loads above BULK_MIN_ROWS) are not counted.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tissu.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from tissu.directory import imports  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def main() -> None:
    path = sys.argv[1]
    label = sys.argv[2] if len(sys.argv) > 2 else "import"
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {imports.Association._meta.db_table} CASCADE")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    load = os.getloadavg()[0]
    backend_before, python_before, wall_before = backend_cpu_seconds(backend), time.process_time(), time.monotonic()
    run = imports.rna_import_files(paths=[path], scope=imports.ImportScope(import_all=True))
    wall = time.monotonic() - wall_before
    python = time.process_time() - python_before
    server = backend_cpu_seconds(backend) - backend_before
    print(
        f"{label}: {run.created:,} created, wall {wall:.1f} s, Python CPU {python:.1f} s, "
        f"PostgreSQL backend CPU {server:.1f} s, load {load:.1f} → {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
