"""Open-data exports and API pages through the real views, on PostgreSQL: time, throughput, peak memory.

Usage (from the repository root):

    # fill a scratch database with the search benchmark's generator (COPY, realistic rows)
    .venv/bin/python bench/search_latency.py generate --db tissu_bench_opendata --size 100000
    # measure, in a fresh process (peak RSS is the whole process's high-water mark)
    .venv/bin/python bench/opendata_export.py --db tissu_bench_opendata

Each export is consumed piece by piece as a WSGI server would, counting bytes without keeping them,
so the peak RSS shows what the streaming costs; memory must stay flat whatever the size. The API is
measured with 100-row pages at the start and deep in the list.
"""

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_latency import setup_django  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="tissu_bench_opendata")
    args = parser.parse_args()
    setup_django(args.db)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tissu.directory import opendata

    size = opendata.public_associations().count()
    client = Client()
    client.get("/api/associations", {"limit": 1})  # warm-up: connection, URL conf, schemas
    print(f"{size:,} public associations (database {args.db}); RSS after start-up {rss_mb():.0f} MB")
    print(f"{'export':<8} {'seconds':>8} {'rows/s':>9} {'MB':>8} {'pieces':>7} {'queries':>8} {'peak RSS MB':>12}")
    for fmt in ("csv", "json"):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/associations/donnees/associations.{fmt}")
            total = pieces = 0
            for piece in response.streaming_content:
                total += len(piece)
                pieces += 1
        elapsed = time.perf_counter() - began
        print(
            f"{fmt:<8} {elapsed:>8.1f} {size / elapsed:>9,.0f} {total / 1e6:>8.1f} {pieces:>7} "
            f"{len(captured):>8} {peak_mb():>12.0f}"
        )

    print(f"\n{'API page (limit=100)':<44} {'ms (median of 5)':>16}")
    for label, params in (
        ("first page", {"limit": 100}),
        ("first page, family filter", {"limit": 100, "family": "011000"}),
        ("first page, text query", {"limit": 100, "q": "sport"}),
        ("page at offset 50% of the list", {"limit": 100, "offset": size // 2}),
    ):
        timings = []
        for _ in range(5):
            began = time.perf_counter()
            response = client.get("/api/associations", params)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content[:200]
        print(f"{label:<44} {sorted(timings)[2]:>16.0f}")
    print(f"\npeak RSS of the whole run: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
