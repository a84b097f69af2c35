"""The optimiser on plain problems: hard constraints, priorities, fairness, pins and exclusions, reasons, and
the independent validator on every allocation (including generated campaigns)."""

from dataclasses import replace

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tissu.rooms import allocation, reasons, validation
from tissu.rooms.allocation import OptionData, Problem, RequestData, RoomData

EVENINGS = {day: [(17 * 60, 22 * 60)] for day in range(6)}


def room(id, capacity=30, **fields):
    return RoomData(id=id, name=f"Salle {id}", capacity=capacity, hours=fields.pop("hours", EVENINGS), **fields)


def request(id, association, options, participants=10, duration=120, **fields):
    return RequestData(
        id=id, association_id=association, association_name=f"Asso {association}", participants=participants,
        duration=duration, options=tuple(OptionData(id=id * 10 + n, rank=r, weekday=d, start=s * 60, room_id=rm)
                                         for n, (r, d, s, rm) in enumerate(options)), order=id, **fields,
    )  # fmt: skip


def checked(problem, result_or_assignments):
    assignments = getattr(result_or_assignments, "assignments", result_or_assignments)
    rooms, requests = validation.from_problem(problem)
    assert validation.check(rooms=rooms, requests=requests, assignments=assignments) == []
    return assignments


def solve(problem):
    result = allocation.solve(problem, time_limit=10, workers=1)
    checked(problem, result)
    return result


def test_two_requests_for_one_room_and_time_share_it_by_preference():
    problem = Problem(
        rooms={1: room(1)},
        requests=[request(1, 1, [(1, 1, 18, None), (2, 2, 18, None)]), request(2, 2, [(1, 1, 18, None)])],
    )
    result = solve(problem)
    # Request 2 has a single wish: Tuesday goes to it, request 1 takes its second choice.
    assert result.assignments == {1: (11, 1), 2: (20, 1)}
    assert result.status == "optimal"


def test_priorities_decide_who_gets_a_contested_slot():
    problem = Problem(
        rooms={1: room(1)},
        requests=[
            request(1, 1, [(1, 1, 18, None)]),
            request(2, 2, [(1, 1, 18, None)], priorities=(allocation.YOUTH,)),
        ],
    )
    assert solve(problem).assignments == {2: (20, 1)}
    why = allocation.explain(problem, {2: (20, 1)})
    assert why[1]["code"] == "refused" and why[1]["because"]["code"] == "taken"
    with translation.override("fr"):
        text = reasons.reason_text(why[1])
    assert "Asso 2" in text and "public jeunesse" in text


def test_capacity_equipment_access_and_hours_are_hard_constraints():
    problem = Problem(
        rooms={1: room(1, capacity=10), 2: room(2, capacity=50, equipment=frozenset({"mirrors"}), step_free=True)},
        requests=[
            request(1, 1, [(1, 1, 18, None)], participants=40),  # only room 2 is big enough
            request(2, 2, [(1, 1, 18, None)], equipment=frozenset({"mirrors"})),  # room 2 too
            request(3, 3, [(1, 1, 21, None)]),  # 21:00–23:00: the building closes at 22:00
        ],
    )
    result = solve(problem)
    assert len([r for r in (1, 2) if r in result.assignments]) == 1
    assert 3 not in result.assignments
    why = allocation.explain(problem, result.assignments)
    assert why[3]["because"]["code"] == "outside_hours"
    with translation.override("en"):
        assert "no suitable room is open on tuesday from 21:00 to 23:00" in reasons.reason_text(why[3])


def test_a_groups_requests_never_overlap_across_rooms():
    problem = Problem(
        rooms={1: room(1), 2: room(2)},
        requests=[
            request(1, 1, [(1, 1, 18, None)], group="u12"),
            request(2, 1, [(1, 1, 19, None), (2, 3, 19, None)], group="u12"),
        ],
    )
    result = solve(problem)
    assert result.assignments == {1: (10, 1), 2: (21, 1)} or result.assignments[2][0] == 21
    why = allocation.explain(problem, result.assignments)
    assert why[2]["because"]["code"] == "group_overlap"


def test_fairness_serves_every_association_before_maximising_points():
    # Association 1 files two youth requests worth more than association 2's only request; one room, one evening.
    rooms = {1: room(1, hours={1: [(18 * 60, 22 * 60)]})}
    requests = [
        request(1, 1, [(1, 1, 18, None)], priorities=(allocation.YOUTH,)),
        request(2, 1, [(1, 1, 20, None)], priorities=(allocation.YOUTH,)),
        request(3, 2, [(1, 1, 19, None)], duration=60),  # 19:00–20:00: only beside request 2
    ]
    fair = solve(Problem(rooms=rooms, requests=requests))
    assert set(fair.assignments) == {2, 3} and fair.associations_served == 2
    unfair = solve(Problem(rooms=rooms, requests=requests, fairness=False))
    assert set(unfair.assignments) == {1, 2}


def test_pins_and_exclusions_are_obeyed():
    base = [request(1, 1, [(1, 1, 18, None), (2, 2, 18, None)]), request(2, 2, [(1, 1, 18, None)])]
    rooms = {1: room(1), 2: room(2)}
    pinned = [replace(base[0], pinned=(11, 2)), base[1]]
    result = solve(Problem(rooms=rooms, requests=pinned))
    assert result.assignments[1] == (11, 2)
    forbidden = [replace(base[0], options=(base[0].options[0], replace(base[0].options[1], forbidden=True))), base[1]]
    result = solve(Problem(rooms={1: room(1)}, requests=forbidden))
    # Without its second choice, request 1 can only compete for Tuesday: one of the two gets it.
    assert len(result.assignments) == 1
    assert 11 not in [option for option, _room in result.assignments.values()]


def test_conflicting_pins_are_reported_as_infeasible():
    rooms = {1: room(1)}
    requests = [
        request(1, 1, [(1, 1, 18, 1)], pinned=(10, 1)),
        request(2, 2, [(1, 1, 19, 1)], pinned=(20, 1)),
    ]
    result = allocation.solve(Problem(rooms=rooms, requests=requests), time_limit=5, workers=1)
    assert result.status == "infeasible" and result.message == "pinned" and result.assignments == {}


def test_the_validator_finds_every_kind_of_violation():
    problem = Problem(
        rooms={1: room(1, capacity=10), 2: room(2, closed_weekdays=frozenset({1}))},
        requests=[
            request(1, 1, [(1, 1, 18, None)], participants=20, group="a"),
            request(2, 1, [(1, 1, 19, None)], group="a", step_free=True),
            request(3, 2, [(1, 1, 21, None)], pinned=(30, None)),
        ],
    )
    rooms, requests = validation.from_problem(problem)
    problems = validation.check(rooms=rooms, requests=requests, assignments={1: (10, 1), 2: (20, 1), 3: (99, 2)})
    text = "\n".join(problems)
    for expected in ["20 people in room 1", "not step-free", "overlap in room 1", "two places at once",
                     "option 99 is not one of its options", "pinned to"]:  # fmt: skip
        assert expected in text
    problems = validation.check(rooms=rooms, requests=requests, assignments={3: (30, 2)})
    assert any("not open" in p for p in problems) and any("closed every day 1" in p for p in problems)


def test_the_optimiser_beats_first_come_first_served():
    # The first request filed takes Tuesday although Wednesday suits it too; the second can only come Tuesday.
    problem = Problem(
        rooms={1: room(1)},
        requests=[request(1, 1, [(1, 1, 18, None), (2, 2, 18, None)]), request(2, 2, [(1, 1, 18, None)])],
    )
    greedy = checked(problem, allocation.greedy(problem))
    result = solve(problem)
    assert result.objective > allocation.objective_of(problem, greedy)


@st.composite
def problems(draw):
    rooms = {
        n: room(n, capacity=draw(st.sampled_from([8, 15, 30])), step_free=draw(st.booleans()),
                equipment=frozenset(draw(st.sets(st.sampled_from(["mirrors", "piano"]), max_size=1))))
        for n in range(1, draw(st.integers(1, 3)) + 1)
    }  # fmt: skip
    requests = []
    for n in range(1, draw(st.integers(1, 8)) + 1):
        options = [
            (rank, draw(st.integers(0, 2)), draw(st.integers(16, 21)), draw(st.sampled_from([None, None, 1])))
            for rank in draw(st.sampled_from([(1,), (1, 2), (1, 2, 0), (1, 2, 3, 0)]))
        ]
        requests.append(
            request(
                n,
                draw(st.integers(1, 3)),
                options,
                participants=draw(st.integers(5, 30)),
                duration=draw(st.sampled_from([60, 90, 120])),
                group=draw(st.sampled_from(["", "a"])),
                step_free=draw(st.booleans()),
                priorities=tuple(draw(st.sets(st.sampled_from(["youth", "qpv"])))),
                equipment=frozenset(draw(st.sets(st.sampled_from(["mirrors"]), max_size=1))),
            )
        )
    # Staff pin a few requests to their first choice (pins may collide: then no allocation exists).
    requests = [replace(r, pinned=(r.options[0].id, None)) if draw(st.integers(0, 9)) == 0 else r for r in requests]
    return Problem(rooms=rooms, requests=requests, fairness=draw(st.booleans()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_generated_allocation_passes_the_validator_and_every_request_has_a_reason(problem):
    result = allocation.solve(problem, time_limit=10, workers=1)
    if result.status == "infeasible":
        assert any(r.pinned for r in problem.requests) and result.message == "pinned"
        return
    assert result.status in ("optimal", "empty")
    checked(problem, result)
    greedy = allocation.greedy(problem)
    rooms, requests = validation.from_problem(problem)
    greedy_problems = validation.check(rooms=rooms, requests=requests, assignments=greedy)
    # First come, first served breaks only pins it could not place (it never places anything badly).
    assert all("pinned to" in text for text in greedy_problems)
    if not greedy_problems and not problem.fairness:
        assert result.objective >= allocation.objective_of(problem, greedy)
    why = allocation.explain(problem, result.assignments)
    assert set(why) == {r.id for r in problem.requests}
    for reason in why.values():
        assert reasons.reason_text(reason) and "no reason recorded" not in reasons.reason_text(reason)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_reasons_read_in_both_languages(language):
    reason = {"code": "granted", "rank": 2, "room": "Salle 1", "better_rank": 1,
              "because": {"code": "taken", "by": ["Judo club"], "more": 0, "priorities": ["youth"]}}  # fmt: skip
    with translation.override(language):
        text = reasons.reason_text(reason)
    assert "Judo club" in text and "Salle 1" in text
