"""Counting an election: the ranking rule, the official tally from the ballot box, and the recount from the
published anonymised ballots.

The rule, per college: candidacies ranked by votes (most first); the first `seats` with at least one vote take
the seats, the next `substitute_seats` with at least one vote the substitute seats. Candidacies with as many
votes are ordered by the tie-break rule fixed when the election was created:
- draw: by sha256("<seed>:<candidacy id>"), the seed being shown on the election's page before the vote;
- oldest: by the association's creation date in the national register (oldest first; unknown dates last),
  then by the draw key.
A candidacy is marked `tie_broken` when its tie group straddles two outcomes: the rule, not the votes,
decided its outcome.

`recount()` reads only the public document (ballots.json) and shares no counting code with the official
tally, so the test that both agree (tests/test_recount.py) checks the count, the publication and the rule.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass

TITULAR, SUBSTITUTE, NOT_ELECTED = "titular", "substitute", "not_elected"


def draw_key(seed: str, candidacy_id: int) -> str:
    return hashlib.sha256(f"{seed}:{candidacy_id}".encode()).hexdigest()


def tie_key(*, rule: str, seed: str, candidacy_id: int, creation_date: datetime.date | None) -> tuple:
    if rule == "oldest":
        return (creation_date or datetime.date.max, draw_key(seed, candidacy_id))
    return (draw_key(seed, candidacy_id),)


@dataclass(frozen=True)
class Placed:
    candidacy_id: int
    votes: int
    rank: int
    outcome: str
    tie_broken: bool


def rank_college(*, votes: dict[int, int], keys: dict[int, tuple], seats: int, substitutes: int) -> list[Placed]:
    """Place the candidacies of one college (keys: candidacy id → tie key; votes: id → votes, absent = 0)."""
    order = sorted(keys, key=lambda cid: (-votes.get(cid, 0), keys[cid]))
    outcomes = {}
    for index, cid in enumerate(order):
        if votes.get(cid, 0) == 0:
            outcomes[cid] = NOT_ELECTED
        elif index < seats:
            outcomes[cid] = TITULAR
        elif index < seats + substitutes:
            outcomes[cid] = SUBSTITUTE
        else:
            outcomes[cid] = NOT_ELECTED
    groups: dict[int, set[str]] = {}
    for cid in order:
        groups.setdefault(votes.get(cid, 0), set()).add(outcomes[cid])
    return [
        Placed(
            candidacy_id=cid,
            votes=votes.get(cid, 0),
            rank=index + 1,
            outcome=outcomes[cid],
            tie_broken=len(groups[votes.get(cid, 0)]) > 1,
        )
        for index, cid in enumerate(order)
    ]


def recount(published: dict) -> dict[int, tuple[int, int, str]]:
    """From the public document of an election (see selectors.published_ballots): candidacy id →
    (votes, rank, outcome). Checks what can be checked from the outside: no ballot with more names than
    seats, none with a name of another college, no receipt code twice."""
    colleges = {college["id"]: college for college in published["colleges"]}
    candidacies = {c["id"]: c for c in published["candidacies"]}
    codes = [ballot["code"] for ballot in published["ballots"]]
    if len(codes) != len(set(codes)):
        raise ValueError("a receipt code appears twice")
    counts: Counter[int] = Counter()
    for ballot in published["ballots"]:
        college = colleges[ballot["college"]]
        names = ballot["choices"]
        if ballot["blank"] and names:
            raise ValueError(f"blank ballot {ballot['code']} carries names")
        if len(names) > college["seats"] or len(set(names)) != len(names):
            raise ValueError(f"ballot {ballot['code']} has too many names")
        for cid in names:
            if candidacies[cid]["college"] != college["id"]:
                raise ValueError(f"ballot {ballot['code']} names a candidacy of another college")
            counts[cid] += 1
    results = {}
    for college in colleges.values():
        keys = {}
        for cid, candidacy in candidacies.items():
            if candidacy["college"] != college["id"]:
                continue
            created = candidacy.get("association_creation_date")
            keys[cid] = tie_key(
                rule=published["tie_break"],
                seed=published["tie_break_seed"],
                candidacy_id=cid,
                creation_date=datetime.date.fromisoformat(created) if created else None,
            )
        ranked = sorted(keys, key=lambda cid: (-counts[cid], keys[cid]))
        for index, cid in enumerate(ranked):
            if counts[cid] == 0:
                outcome = NOT_ELECTED
            elif index < college["seats"]:
                outcome = TITULAR
            elif index < college["seats"] + college["substitute_seats"]:
                outcome = SUBSTITUTE
            else:
                outcome = NOT_ELECTED
            results[cid] = (counts[cid], index + 1, outcome)
    return results
