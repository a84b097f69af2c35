"""Benchmark of the seasonal room allocation (issue 7): generated campaigns of 200 and 2,000 requests over 60
rooms, solved by CP-SAT (tissu.rooms.allocation.solve) and by the first-come-first-served greedy baseline.

    .venv/bin/python bench/rooms_allocation.py [--sizes 200,2000] [--time-limit 60] [--seed 7]

Pure data: no database. Every allocation is checked by the independent validator
(tissu.rooms.validation.check) before its figures are printed.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tissu.settings")

from tissu.rooms import allocation, validation
from tissu.rooms.allocation import OptionData, Problem, RequestData, RoomData

EQUIPMENT = ["projector", "sprung floor", "mirrors", "kitchen", "piano", "tatami"]


def generate(requests_count: int, rooms_count: int = 60, seed: int = 7) -> Problem:
    rng = random.Random(seed)
    rooms = {}
    for number in range(1, rooms_count + 1):
        kind = rng.choices(["meeting", "hall", "gym"], weights=[6, 3, 2])[0]
        capacity = {"meeting": rng.choice([12, 15, 20, 25, 30]), "hall": rng.choice([50, 80, 120]),
                    "gym": rng.choice([60, 100, 200])}[kind]  # fmt: skip
        equipment = frozenset(e for e in EQUIPMENT if rng.random() < (0.35 if kind != "meeting" else 0.15))
        weekday_hours = [(17 * 60, 22 * 60 + 30)] if kind != "gym" else [(16 * 60 + 30, 22 * 60 + 30)]
        hours = dict.fromkeys(range(5), weekday_hours)
        hours[2] = [(13 * 60 + 30, 22 * 60 + 30)]  # Wednesday afternoons (no school)
        hours[5] = [(9 * 60, 19 * 60)]
        rooms[number] = RoomData(
            id=number, name=f"Salle {number}", capacity=capacity, equipment=equipment, step_free=rng.random() < 0.7,
            hours=hours,
        )  # fmt: skip
    associations = max(10, requests_count // 4)
    requests = []
    option_id = 0
    for number in range(1, requests_count + 1):
        association = rng.randint(1, associations)
        participants = rng.choice([8, 10, 12, 15, 18, 20, 25, 30, 40, 60])
        duration = rng.choice([60, 90, 90, 120, 120, 180])
        weekday = rng.choice([0, 1, 2, 2, 3, 4, 5, 5])
        day_start = rooms[1].hours[weekday][0][0] if weekday in (2, 5) else 17 * 60
        latest = (22 * 60 + 30 if weekday < 5 else 19 * 60) - duration
        starts = list(range(day_start, latest + 1, 30))
        options = []
        named = rng.random() < 0.15
        for rank in (1, 2, 3, 0, 0):
            option_id += 1
            day = weekday if rank in (1, 2) else rng.choice([0, 1, 2, 3, 4, 5])
            first = (13 * 60 + 30 if day == 2 else 9 * 60) if day in (2, 5) else 17 * 60
            last = (22 * 60 + 30 if day < 5 else 19 * 60) - duration
            start = rng.choice(starts) if rank == 1 else rng.choice(list(range(first, last + 1, 30)))
            room_id = rng.randint(1, rooms_count) if named and rank == 1 else None
            options.append(OptionData(id=option_id, rank=rank, weekday=day, start=start, room_id=room_id))
        priorities = tuple(p for p, share in (("youth", 0.35), ("qpv", 0.15), ("small", 0.4)) if rng.random() < share)
        previous = None
        if rng.random() < 0.5:
            previous = (options[0].weekday, options[0].start, options[0].room_id)
        requests.append(
            RequestData(
                id=number, association_id=association, association_name=f"Association {association}",
                participants=participants, duration=duration, options=tuple(options),
                group=rng.choice(["", "", "adultes", "jeunes"]),
                equipment=frozenset(rng.sample(EQUIPMENT, 1)) if rng.random() < 0.2 else frozenset(),
                step_free=rng.random() < 0.1, priorities=priorities, previous=previous, order=number,
            )
        )  # fmt: skip
    return Problem(rooms=rooms, requests=requests)


def violations(problem: Problem, assignments: dict) -> list[str]:
    rooms, requests = validation.from_problem(problem)
    return validation.check(rooms=rooms, requests=requests, assignments=assignments)


def run(size: int, time_limit: float, seed: int) -> dict:
    problem = generate(size, seed=seed)
    started = time.monotonic()
    greedy = allocation.greedy(problem)
    greedy_seconds = time.monotonic() - started
    result = allocation.solve(problem, time_limit=time_limit, workers=2)
    assert not violations(problem, greedy), violations(problem, greedy)[:5]
    assert not violations(problem, result.assignments), violations(problem, result.assignments)[:5]
    return {
        "requests": size,
        "associations": len({r.association_id for r in problem.requests}),
        "candidates": result.candidates,
        "status": result.status,
        "seconds": round(result.solve_seconds, 1),
        "stage_1_seconds": round(result.stage_1_seconds, 1),
        "objective": result.objective,
        "bound": round(result.best_bound),
        "gap_percent": round(100 * result.gap, 3),
        "granted": len(result.assignments),
        "associations_served": result.associations_served,
        "fairness_proven": result.fairness_proven,
        "greedy_objective": allocation.objective_of(problem, greedy),
        "greedy_granted": len(greedy),
        "greedy_associations_served": len({r.association_id for r in problem.requests if r.id in greedy}),
        "greedy_seconds": round(greedy_seconds, 2),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,2000")
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.1f}, cores: {os.cpu_count()}")
    for size in [int(s) for s in args.sizes.split(",")]:
        print(run(size, args.time_limit, args.seed), flush=True)


if __name__ == "__main__":
    main()
