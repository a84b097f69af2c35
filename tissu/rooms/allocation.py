"""The seasonal allocation: a CP-SAT model, its two-stage objective, the reasons in words, a greedy baseline.

The problem is plain data (Problem, built from a campaign by ``problem_from_campaign``), so the optimiser, the
greedy baseline and the benchmark work without the database.

Candidates. A request lists weekly options (rank 1 to 3: its preferences in order; rank 0: acceptable
alternatives), each a weekday and a start time, for the request's duration, in a room it names or in any room
of the campaign. A candidate (request, option, room) exists when the room is big enough, has the equipment
asked for, is step-free if needed, is open on that weekday for the whole slot and has at least one open date
of that weekday in the season, and staff did not forbid the option. Without a named room, an option keeps
its ``max_rooms_per_option`` smallest suitable rooms (default 8): a group of 12 is not offered the
gymnasium while a meeting room fits, and the model stays small enough to certify its gap at 2,000 requests.

Hard constraints. One boolean per candidate; at most one per request (exactly one when staff pinned it); in
each room and weekday, for every start time, at most one chosen candidate covers that minute (a clique
constraint of the interval graph: as tight as a no-overlap constraint, and linear); the same for the
requests of one association sharing a group name, across rooms.

Objective (lexicographic, two solves). Stage 1 maximises the number of associations with at least one
request granted (when the campaign's fairness rule is on). Stage 2 keeps that number and maximises the
weighted preferences: the points of the option's rank, increased by the request's priority bonuses (youth
public, association of a QPV, small association, in %) and the continuity bonus when the candidate is last
season's slot (same weekday, start and room). The report gives stage 2's objective, best bound and gap.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field

YOUTH, QPV, SMALL = "youth", "qpv", "small"
RANKS = (1, 2, 3, 0)  # the order of preference: ranks 1 to 3, then the alternatives (rank 0)


@dataclass(frozen=True)
class RoomData:
    id: int
    name: str
    capacity: int
    equipment: frozenset = frozenset()
    step_free: bool = False
    # weekday → [(opening minute, closing minute)]
    hours: dict = field(default_factory=dict, hash=False)
    # weekdays without a single open date in the season (closures, holidays)
    closed_weekdays: frozenset = frozenset()


@dataclass(frozen=True)
class OptionData:
    id: int
    rank: int
    weekday: int
    start: int  # minutes after midnight
    room_id: int | None = None
    forbidden: bool = False


@dataclass(frozen=True)
class RequestData:
    id: int
    association_id: int
    association_name: str
    participants: int
    duration: int  # minutes
    options: tuple
    group: str = ""
    equipment: frozenset = frozenset()
    step_free: bool = False
    priorities: tuple = ()  # YOUTH, QPV, SMALL
    previous: tuple | None = None  # (weekday, start minute, room id or None)
    pinned: tuple | None = None  # (option id, room id or None)
    order: int = 0  # filing order, for the greedy baseline


@dataclass
class Problem:
    rooms: dict  # id → RoomData
    requests: list
    rank_points: dict = field(default_factory=lambda: {1: 100, 2: 70, 3: 50, 0: 30})
    bonuses: dict = field(default_factory=lambda: {YOUTH: 50, QPV: 30, SMALL: 20})
    continuity_bonus: int = 20
    fairness: bool = True
    max_rooms_per_option: int = 8


@dataclass(frozen=True)
class Candidate:
    index: int
    request_id: int
    option_id: int
    rank: int
    room_id: int
    weekday: int
    start: int
    end: int
    score: int


@dataclass
class Result:
    status: str  # "optimal", "feasible", "infeasible", "empty"
    assignments: dict  # request id → (option id, room id)
    objective: int
    best_bound: float
    gap: float
    associations_served: int
    solve_seconds: float
    stage_1_seconds: float = 0.0
    candidates: int = 0
    fairness_proven: bool = False  # stage 1 proved the number of associations served is the largest possible
    message: str = ""

    def as_report(self) -> dict:
        return {
            "status": self.status,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "gap": self.gap,
            "associations_served": self.associations_served,
            "solve_seconds": round(self.solve_seconds, 2),
            "stage_1_seconds": round(self.stage_1_seconds, 2),
            "candidates": self.candidates,
            "fairness_proven": self.fairness_proven,
            "message": self.message,
        }


def _fits_hours(room: RoomData, weekday: int, start: int, end: int) -> bool:
    return any(opens <= start and end <= closes for opens, closes in room.hours.get(weekday, ()))


def suitable(room: RoomData, request: RequestData) -> bool:
    return (
        room.capacity >= request.participants
        and request.equipment <= room.equipment
        and (room.step_free or not request.step_free)
    )


def score(problem: Problem, request: RequestData, option: OptionData, room_id: int) -> int:
    bonus = sum(problem.bonuses.get(p, 0) for p in request.priorities)
    previous = request.previous
    if previous and previous[:2] == (option.weekday, option.start) and previous[2] in (None, room_id):
        bonus += problem.continuity_bonus
    return problem.rank_points.get(option.rank, 0) * (100 + bonus) // 100


def candidates(problem: Problem) -> list[Candidate]:
    result = []
    rooms_by_size = sorted(problem.rooms.values(), key=lambda r: (r.capacity, r.id))
    for request in problem.requests:
        for option in request.options:
            if option.forbidden:
                continue
            if request.pinned and request.pinned[0] != option.id:
                continue
            end = option.start + request.duration
            pool = [problem.rooms[option.room_id]] if option.room_id in problem.rooms else rooms_by_size
            if option.room_id is not None and option.room_id not in problem.rooms:
                pool = []
            if request.pinned and request.pinned[1] is not None:
                pool = [room for room in pool if room.id == request.pinned[1]]
            kept = 0
            for room in pool:
                if not suitable(room, request) or not _fits_hours(room, option.weekday, option.start, end):
                    continue
                if option.weekday in room.closed_weekdays:
                    continue
                result.append(
                    Candidate(
                        index=len(result),
                        request_id=request.id,
                        option_id=option.id,
                        rank=option.rank,
                        room_id=room.id,
                        weekday=option.weekday,
                        start=option.start,
                        end=end,
                        score=score(problem, request, option, room.id),
                    )
                )
                kept += 1
                # A pinned room or a named room is always kept; otherwise the smallest suitable rooms.
                if option.room_id is None and kept >= problem.max_rooms_per_option:
                    break
    return result


def _cliques(items: list[Candidate]) -> list[list[int]]:
    """For candidates of one room (or group) and weekday: at each start time, those covering that minute."""
    cliques = []
    for point in sorted({c.start for c in items}):
        covering = [c.index for c in items if c.start <= point < c.end]
        if len(covering) > 1:
            cliques.append(covering)
    return cliques


def conflict_cliques(problem: Problem, cands: list[Candidate]) -> list[list[int]]:
    by_room = defaultdict(list)
    by_group = defaultdict(list)
    group_of = {r.id: (r.association_id, r.group) for r in problem.requests if r.group}
    for c in cands:
        by_room[(c.room_id, c.weekday)].append(c)
        if c.request_id in group_of:
            by_group[(group_of[c.request_id], c.weekday)].append(c)
    cliques = []
    for items in by_room.values():
        cliques += _cliques(items)
    for items in by_group.values():
        # Candidates of one request already exclude each other; a clique still holds for them.
        cliques += _cliques(items)
    return cliques


def lp_relaxation(problem: Problem, cands: list[Candidate], cliques: list, served_floor: int, seconds: float):
    """The linear relaxation of the stage-2 model (HiGHS): its optimum bounds every allocation's points from
    above (a certified bound), and its support (candidates with a positive value) guides the search.
    (None, []) when it is not solved to optimality within the time given."""
    from ortools.linear_solver import pywraplp

    # HiGHS (bundled with OR-Tools) solves this LP 2 to 4 times faster than GLOP at 2,000 requests.
    solver = pywraplp.Solver.CreateSolver("HIGHS") or pywraplp.Solver.CreateSolver("GLOP")
    solver.SuppressOutput()
    solver.SetTimeLimit(int(max(1.0, seconds) * 1000))
    x = [solver.NumVar(0, 1, "") for _c in cands]
    by_request, by_association = defaultdict(list), defaultdict(list)
    association_of = {r.id: r.association_id for r in problem.requests}
    pinned = {r.id for r in problem.requests if r.pinned}
    for c in cands:
        by_request[c.request_id].append(x[c.index])
        by_association[association_of[c.request_id]].append(x[c.index])
    for request_id, variables in by_request.items():
        if request_id in pinned:
            solver.Add(sum(variables) == 1)
        else:
            solver.Add(sum(variables) <= 1)
    for clique in cliques:
        solver.Add(sum(x[i] for i in clique) <= 1)
    if served_floor:
        y = []
        for variables in by_association.values():
            served = solver.NumVar(0, 1, "")
            solver.Add(served <= sum(variables))
            y.append(served)
        solver.Add(sum(y) >= served_floor)
    solver.Maximize(sum(c.score * x[c.index] for c in cands))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None, []
    return solver.Objective().Value(), [variable.solution_value() for variable in x]


class _Model:
    """The CP-SAT model over a subset of the candidates (all of them, or the LP's support)."""

    def __init__(self, problem: Problem, cands: list[Candidate], cliques: list, keep: set | None = None):
        from ortools.sat.python import cp_model

        self.model = cp_model.CpModel()
        self.cands = [c for c in cands if keep is None or c.index in keep]
        self.x = {c.index: self.model.NewBoolVar("") for c in self.cands}
        by_request, by_association = defaultdict(list), defaultdict(list)
        association_of = {r.id: r.association_id for r in problem.requests}
        for c in self.cands:
            by_request[c.request_id].append(self.x[c.index])
            by_association[association_of[c.request_id]].append(self.x[c.index])
        self.feasible = True
        for request in problem.requests:
            variables = by_request.get(request.id, [])
            if request.pinned:
                if not variables:
                    self.feasible = False
                    continue
                self.model.AddExactlyOne(variables)
            elif len(variables) > 1:
                self.model.AddAtMostOne(variables)
        for clique in cliques:
            variables = [self.x[i] for i in clique if i in self.x]
            if len(variables) > 1:
                self.model.AddAtMostOne(variables)
        self.served = []
        for variables in by_association.values():
            y = self.model.NewBoolVar("")
            self.model.AddBoolOr(variables).OnlyEnforceIf(y)
            self.served.append(y)

    def hint(self, assignments: dict) -> None:
        self.model.ClearHints()
        for c in self.cands:
            self.model.AddHint(self.x[c.index], assignments.get(c.request_id) == (c.option_id, c.room_id))

    def run(self, seconds: float, workers: int, relative_gap: float):
        """(status name, assignments or None, objective value, best bound)."""
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.num_search_workers = workers
        solver.parameters.relative_gap_limit = relative_gap
        # The LP relaxation with its cliques gives the bound; level 2 keeps every constraint in it.
        solver.parameters.linearization_level = 2
        solver.parameters.max_time_in_seconds = max(0.5, seconds)
        status = solver.Solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return solver.StatusName(status), None, 0.0, float("inf")
        chosen = {c.request_id: (c.option_id, c.room_id) for c in self.cands if solver.BooleanValue(self.x[c.index])}
        return solver.StatusName(status), chosen, solver.ObjectiveValue(), solver.BestObjectiveBound()


def solve(
    problem: Problem, *, time_limit: float = 60.0, workers: int = 2, relative_gap: float = 0.001, lp_bound: bool = True
) -> Result:
    """Stage 1 (fairness), then stage 2 (points); never worse than first come, first served when that one is
    valid. Stage 2 solves the linear relaxation (a certified bound), CP-SAT on the relaxation's support (a
    small model), then the full model from the best solution for the time left."""
    started = time.monotonic()

    def left() -> float:
        return time_limit - (time.monotonic() - started)

    cands = candidates(problem)
    association_of = {r.id: r.association_id for r in problem.requests}
    if not cands:
        pinned_missing = any(r.pinned for r in problem.requests)
        return _infeasible(started, 0, "pinned") if pinned_missing else _empty(started)
    cliques = conflict_cliques(problem, cands)
    full = _Model(problem, cands, cliques)
    if not full.feasible:
        return _infeasible(started, len(cands), "pinned")
    start_from = greedy(problem)
    greedy_valid = all(r.id in start_from for r in problem.requests if r.pinned)
    if greedy_valid:
        full.hint(start_from)
    stage_1_seconds, floor, fairness_proven = 0.0, 0, not problem.fairness
    best = start_from if greedy_valid else None
    if problem.fairness:
        # Every association with a candidate served is the most stage 1 can reach; the round-robin greedy
        # often reaches it, and then it is proven without a solve.
        reachable = len({association_of[c.request_id] for c in cands})
        fair_start = greedy(problem, round_robin=True)
        fair_valid = all(r.id in fair_start for r in problem.requests if r.pinned)
        fair_count = len({association_of[r] for r in fair_start})
        if fair_valid and fair_count == reachable:
            status, chosen, value = "OPTIMAL", fair_start, fair_count
        else:
            if fair_valid:
                full.hint(fair_start)
            full.model.Maximize(sum(full.served))
            status, chosen, value, _bound = full.run(left() / 5, workers, 0.0)
        stage_1_seconds = time.monotonic() - started
        if status == "INFEASIBLE":
            return _infeasible(started, len(cands), "pinned")
        if chosen is not None:
            floor, fairness_proven = round(value), status == "OPTIMAL"
        elif fair_valid:
            floor = fair_count
        elif greedy_valid:
            # No better split found in time: at least as many associations as first come, first served.
            floor = len({association_of[r] for r in start_from})
        # The best known allocation serving that many associations: stage 1's, or first come first served's.
        known = [a for a in (chosen, best) if a is not None and len({association_of[r] for r in a}) >= floor]
        best = max(known, key=lambda a: objective_of(problem, a), default=None)
        full.model.Add(sum(full.served) >= floor)
        full.model.ClearObjective()
    full.model.Maximize(sum(c.score * full.x[c.index] for c in full.cands))
    bound = _trivial_bound(problem, cands)
    if lp_bound:
        relaxation, values = lp_relaxation(problem, cands, cliques, floor, left() * 0.6)
        if relaxation is not None:
            bound = min(bound, relaxation)
            keep = {c.index for c in cands if values[c.index] > 1e-6}
            if best is not None:
                keep |= {c.index for c in cands if best.get(c.request_id) == (c.option_id, c.room_id)}
            restricted = _Model(problem, cands, cliques, keep)
            if restricted.feasible:
                if floor:
                    restricted.model.Add(sum(restricted.served) >= floor)
                restricted.model.Maximize(sum(c.score * restricted.x[c.index] for c in restricted.cands))
                restricted.hint(
                    best or {c.request_id: (c.option_id, c.room_id) for c in cands if values[c.index] > 0.5}
                )
                _status, chosen, _value, _bound = restricted.run(left() * 0.75, workers, relative_gap)
                if chosen is not None and (best is None or objective_of(problem, chosen) > objective_of(problem, best)):
                    best = chosen
    if best is not None and bound - objective_of(problem, best) < 1e-6:
        return _result(problem, best, bound, started, stage_1_seconds, fairness_proven, len(cands))
    if best is not None:
        full.hint(best)
    status, chosen, _value, cp_bound = full.run(left(), workers, relative_gap)
    bound = min(bound, cp_bound)
    if chosen is not None and (best is None or objective_of(problem, chosen) >= objective_of(problem, best)):
        best = chosen
    if best is None:
        return _infeasible(started, len(cands), "pinned" if status == "INFEASIBLE" else "timeout")
    return _result(problem, best, bound, started, stage_1_seconds, fairness_proven, len(cands))


def _trivial_bound(problem: Problem, cands: list[Candidate]) -> float:
    """Every request on its best candidate: a (weak) certified bound when nothing better is known."""
    best = defaultdict(int)
    for c in cands:
        best[c.request_id] = max(best[c.request_id], c.score)
    return float(sum(best.values()))


def _result(problem, assignments, bound, started, stage_1_seconds, fairness_proven, count) -> Result:
    association_of = {r.id: r.association_id for r in problem.requests}
    objective = objective_of(problem, assignments)
    gap = max(0.0, (bound - objective) / max(1.0, abs(bound)))
    return Result(
        status="optimal" if gap < 1e-6 and fairness_proven else "feasible",
        assignments=assignments,
        objective=objective,
        best_bound=bound,
        gap=gap,
        associations_served=len({association_of[r] for r in assignments}),
        solve_seconds=time.monotonic() - started,
        stage_1_seconds=stage_1_seconds,
        candidates=count,
        fairness_proven=fairness_proven,
    )


def _empty(started: float) -> Result:
    return Result(
        status="empty",
        assignments={},
        objective=0,
        best_bound=0,
        gap=0.0,
        associations_served=0,
        solve_seconds=time.monotonic() - started,
        message="no_candidate",
    )


def _infeasible(started: float, count: int, message: str) -> Result:
    return Result(
        status="infeasible",
        assignments={},
        objective=0,
        best_bound=0,
        gap=0.0,
        associations_served=0,
        solve_seconds=time.monotonic() - started,
        candidates=count,
        message=message,
    )


def objective_of(problem: Problem, assignments: dict) -> int:
    """The stage-2 objective of any allocation (to compare the greedy baseline with the optimiser)."""
    requests = {r.id: r for r in problem.requests}
    total = 0
    for request_id, (option_id, room_id) in assignments.items():
        request = requests[request_id]
        option = next(o for o in request.options if o.id == option_id)
        total += score(problem, request, option, room_id)
    return total


def greedy(problem: Problem, *, round_robin: bool = False) -> dict:
    """First come, first served: in filing order, each request takes its best option in the smallest free
    suitable room (pinned requests first, on their pin). round_robin: each association's first request
    first, then each one's second…: a start for the fairness stage."""
    cands = candidates(problem)
    by_request = defaultdict(list)
    for c in cands:
        by_request[c.request_id].append(c)
    group_of = {r.id: (r.association_id, r.group) for r in problem.requests if r.group}
    taken_rooms = defaultdict(list)  # (room, weekday) → [(start, end)]
    taken_groups = defaultdict(list)
    assignments = {}
    turn, seen = {}, defaultdict(int)
    for request in sorted(problem.requests, key=lambda r: (r.order, r.id)):
        turn[request.id] = seen[request.association_id] if round_robin else 0
        seen[request.association_id] += 1
    order = sorted(problem.requests, key=lambda r: (r.pinned is None, turn[r.id], r.order, r.id))
    for request in order:
        options = sorted(by_request[request.id], key=lambda c: (RANKS.index(c.rank), c.option_id))
        for c in options:
            if any(s < c.end and c.start < e for s, e in taken_rooms[(c.room_id, c.weekday)]):
                continue
            group = group_of.get(request.id)
            if group and any(s < c.end and c.start < e for s, e in taken_groups[(group, c.weekday)]):
                continue
            taken_rooms[(c.room_id, c.weekday)].append((c.start, c.end))
            if group:
                taken_groups[(group, c.weekday)].append((c.start, c.end))
            assignments[request.id] = (c.option_id, c.room_id)
            break
    return assignments


# Reasons ------------------------------------------------------------------------------------------------


def why_no_candidate(problem: Problem, request: RequestData, option: OptionData) -> dict:
    """Why an option has no room at all (before any competition): the first rule that removes every room."""
    end = option.start + request.duration
    if option.forbidden:
        return {"code": "forbidden"}
    if option.room_id is not None and option.room_id not in problem.rooms:
        return {"code": "room_not_offered"}
    pool = [problem.rooms[option.room_id]] if option.room_id is not None else list(problem.rooms.values())
    pool = [r for r in pool if r.capacity >= request.participants]
    if not pool:
        return {"code": "too_small", "participants": request.participants}
    pool = [r for r in pool if request.equipment <= r.equipment]
    if not pool:
        return {"code": "equipment"}
    pool = [r for r in pool if r.step_free or not request.step_free]
    if not pool:
        return {"code": "step_free"}
    pool = [r for r in pool if _fits_hours(r, option.weekday, option.start, end)]
    if not pool:
        return {"code": "outside_hours", "weekday": option.weekday, "start": option.start, "end": end}
    pool = [r for r in pool if option.weekday not in r.closed_weekdays]
    if not pool:
        return {"code": "closed", "weekday": option.weekday}
    return {"code": "pinned_elsewhere"}


def explain(problem: Problem, assignments: dict) -> dict:
    """{request id: reason} for every request: what it got and why not better, or why nothing."""
    cands = candidates(problem)
    requests = {r.id: r for r in problem.requests}
    by_option = defaultdict(list)
    for c in cands:
        by_option[(c.request_id, c.option_id)].append(c)
    chosen = []
    for request_id, (option_id, room_id) in assignments.items():
        request = requests[request_id]
        option = next(o for o in request.options if o.id == option_id)
        chosen.append((request, option.weekday, option.start, option.start + request.duration, room_id))

    def holders(request, option_candidates):
        """Who holds the rooms of these candidates at that time (other requests), or the request's own group."""
        names, priorities, own_group = [], set(), False
        for c in option_candidates:
            for other, weekday, start, end, room_id in chosen:
                if other.id == request.id or weekday != c.weekday or not (start < c.end and c.start < end):
                    continue
                if request.group and other.association_id == request.association_id and other.group == request.group:
                    own_group = True
                elif room_id == c.room_id:
                    if other.association_name not in names:
                        names.append(other.association_name)
                    priorities.update(other.priorities)
        return names, sorted(priorities), own_group

    def why_not(request, option):
        option_candidates = by_option.get((request.id, option.id))
        if not option_candidates:
            return why_no_candidate(problem, request, option)
        names, priorities, own_group = holders(request, option_candidates)
        if own_group:
            # The same people are elsewhere at that time: no room could help.
            return {"code": "group_overlap", "group": request.group}
        if names:
            return {"code": "taken", "by": names[:2], "more": max(0, len(names) - 2), "priorities": priorities}
        return {"code": "objective"}

    reasons = {}
    for request in problem.requests:
        ranked = sorted(request.options, key=lambda o: (RANKS.index(o.rank), o.id))
        if request.id in assignments:
            option_id, room_id = assignments[request.id]
            option = next(o for o in request.options if o.id == option_id)
            reason = {
                "code": "granted",
                "rank": option.rank,
                "room": problem.rooms[room_id].name,
                "pinned": bool(request.pinned),
            }
            better = [o for o in ranked if RANKS.index(o.rank) < RANKS.index(option.rank)]
            if better:
                reason["better_rank"] = better[0].rank
                reason["because"] = why_not(request, better[0])
            reasons[request.id] = reason
        else:
            if not ranked:
                reasons[request.id] = {"code": "refused", "because": {"code": "no_option"}}
                continue
            reasons[request.id] = {
                "code": "refused",
                "because": why_not(request, ranked[0]),
                "others": [why_not(request, o)["code"] for o in ranked[1:]],
            }
    return reasons


def minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute
