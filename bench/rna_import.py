"""Benchmark of the RNA import against a plain COPY of the same file, on PostgreSQL.

    .venv/bin/python bench/rna_import.py --sizes 10000 100000 1900000

For each size: generate a waldec-format file with tissu.directory.rna_fake (national spread, seeded;
kept in var/bench/ and reused), create a scratch database and migrate it, then measure
- COPY: the file into a bare table of as many text columns (psycopg, CSV options ';', '"', header,
  UTF8), median of --copy-runs runs;
- import: ``manage.py import_rna FILE --all`` in a subprocess on the empty directory (the real code
  path), its wall time, its own time (ImportRun.started_at → finished_at) and its peak RSS (wait4);
- re-import: the same command again (everything unchanged);
and print a Markdown table (also written to var/bench/rna_import.json). The scratch database is dropped
at the end unless --keep.

``--index-mode keep`` forces row-by-row index maintenance (no bulk rebuild), ``--index-mode rebuild`` forces
the rebuild whatever the size, to compare both strategies.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tissu.directory import rna_fake  # noqa: E402  (plain module, no Django needed)

BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable
# Runs the real command with the bulk threshold forced up: every row maintains every index.
KEEP_INDEXES_RUNNER = (
    "import sys, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tissu.settings'); django.setup(); "
    "from tissu.directory import imports; imports.BULK_MIN_ROWS = 10**12; "
    "from django.core.management import call_command; call_command('import_rna', *sys.argv[1:])"
)


# The same with the threshold forced down: every first load drops and rebuilds the secondary indexes.
REBUILD_INDEXES_RUNNER = KEEP_INDEXES_RUNNER.replace("10**12", "0")


def generated_file(size: int) -> Path:
    path = BENCH_DIR / f"rna_waldec_fake_{size}.csv"
    if not path.exists():
        started = time.monotonic()
        rna_fake.write_waldec(path.with_suffix(".tmp"), count=size, department=None, seed=2026)
        path.with_suffix(".tmp").rename(path)
        print(f"  generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - started:.0f} s")
    return path


def admin_execute(base_url: str, statement: str) -> None:
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def fresh_database(base_url: str, name: str) -> str:
    admin_execute(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_execute(base_url, f'CREATE DATABASE "{name}"')
    url = f"{base_url}/{name}"
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env_for(url), check=True)
    return url


def env_for(url: str) -> dict:
    # DEBUG off as in production (DEBUG keeps every query in memory); a throwaway key for that.
    return {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "bench-only-" + "x" * 40}


def copy_seconds(url: str, path: Path) -> float:
    columns = path.open(encoding="utf-8").readline().strip().split(";")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_bare_rna")
        connection.execute(f"CREATE TABLE bench_bare_rna ({', '.join(f'{column} text' for column in columns)})")
        started = time.monotonic()
        with (
            connection.cursor() as cursor,
            path.open("rb") as source,
            cursor.copy(
                "COPY bench_bare_rna FROM STDIN WITH (FORMAT csv, DELIMITER ';', QUOTE '\"', HEADER true, "
                "ENCODING 'UTF8')"
            ) as copy,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        elapsed = time.monotonic() - started
        connection.execute("DROP TABLE bench_bare_rna")
    return elapsed


def run_import(url: str, path: Path, *, index_mode: str) -> dict:
    if index_mode in ("keep", "rebuild"):
        runner = KEEP_INDEXES_RUNNER if index_mode == "keep" else REBUILD_INDEXES_RUNNER
        command = [PYTHON, "-c", runner, str(path), "--all", "--no-progress"]
    else:
        command = [PYTHON, "manage.py", "import_rna", str(path), "--all", "--no-progress"]
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env_for(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 gives this child's own resource usage (RUSAGE_CHILDREN would mix every child so far).
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    output = process.stdout.read().decode() + process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import failed:\n{output}")
    with psycopg.connect(url) as connection:
        own, created, unchanged = connection.execute(
            "SELECT extract(epoch FROM finished_at - started_at), created, unchanged "
            "FROM directory_importrun ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return {
        "wall_s": wall,
        "own_s": float(own),
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "cpu_s": usage.ru_utime + usage.ru_stime,
        # The machine is shared: the 1-minute load average when the run started and when it ended.
        "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "created": created,
        "unchanged": unchanged,
    }


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "commit": commit.strip(),
        "load_average_at_start": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--database", default="tissu_bench_import_rna", help="scratch database (dropped)")
    parser.add_argument("--copy-runs", type=int, default=3)
    parser.add_argument("--index-mode", choices=["auto", "keep", "rebuild"], default="auto")
    parser.add_argument("--no-reimport", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    info = machine()
    with psycopg.connect(f"{args.postgres}/postgres") as connection:
        info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    print(f"Machine: {info}")
    results = []
    for size in args.sizes:
        print(f"{size:,} rows")
        path = generated_file(size)
        url = fresh_database(args.postgres, args.database)
        try:
            copies = [copy_seconds(url, path) for _ in range(args.copy_runs if size < 1_000_000 else 1)]
            copy_s = statistics.median(copies)
            print(f"  COPY: {copy_s:.2f} s ({size / copy_s:,.0f} rows/s)")
            first = run_import(url, path, index_mode=args.index_mode)
            print(f"  import: {first}")
            again = None if args.no_reimport else run_import(url, path, index_mode=args.index_mode)
            if again:
                print(f"  re-import: {again}")
        finally:
            if not args.keep:
                admin_execute(args.postgres, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        results.append(
            {
                "rows": size,
                "file_mb": round(path.stat().st_size / 1e6),
                "copy_s": copy_s,
                "copy_rows_per_s": size / copy_s,
                "import": first,
                "import_rows_per_s": size / first["own_s"],
                "ratio": (size / first["own_s"]) / (size / copy_s),
                "reimport": again,
            }
        )
    (BENCH_DIR / "rna_import.json").write_text(json.dumps({"machine": info, "results": results}, indent=2))
    print()
    print(f"index mode: {args.index_mode}; children's peak RSS overall: "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    print(
        "| rows | file | COPY | import (own time) | import wall | ratio import/COPY | peak RSS | import CPU "
        "| load at start → end | re-import |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        first, again = result["import"], result["reimport"]
        reimport = f"{result['rows'] / again['own_s']:,.0f} rows/s" if again else "–"
        print(
            f"| {result['rows']:,} | {result['file_mb']} MB | {result['copy_rows_per_s']:,.0f} rows/s "
            f"({result['copy_s']:.1f} s) | {result['import_rows_per_s']:,.0f} rows/s ({first['own_s']:.1f} s) "
            f"| {first['wall_s']:.1f} s | {result['ratio']:.1%} | {first['peak_rss_mb']:.0f} MB "
            f"| {first['cpu_s']:.1f} s | {first['load'][0]} → {first['load'][1]} | {reimport} |"
        )


if __name__ == "__main__":
    main()
