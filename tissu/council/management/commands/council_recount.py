"""Recount an election from its published ballots and compare with the official result.

    manage.py council_recount <election id>          # the published document of that election
    manage.py council_recount --file ballots.json    # a document downloaded from any Tissu site

Exit status 1 when the recount differs from the official result (with an election id).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from tissu.council import selectors, tally
from tissu.council.models import CandidacyResult, Election


class Command(BaseCommand):
    help = "Recount an election from its published anonymised ballots (receipt codes and names)."

    def add_arguments(self, parser):
        parser.add_argument("election", nargs="?", type=int, help="the election's number")
        parser.add_argument("--file", help="a ballots.json document instead of the database")

    def handle(self, *args, election=None, file=None, **options):
        if file:
            with open(file, encoding="utf-8") as handle:
                document = json.load(handle)
        elif election:
            try:
                election_row = Election.objects.get(pk=election)
            except Election.DoesNotExist:
                raise CommandError(f"no election {election}") from None
            document = selectors.published_ballots(election_row)
        else:
            raise CommandError("give an election number or --file")
        try:
            recounted = tally.recount(document)
        except ValueError as error:
            raise CommandError(f"the published ballots are inconsistent: {error}") from None
        names = {c["id"]: c.get("association", str(c["id"])) for c in document["candidacies"]}
        for cid, (votes, rank, outcome) in sorted(recounted.items(), key=lambda item: (item[1][1], item[0])):
            self.stdout.write(f"{rank:>3}  {votes:>6}  {outcome:<12} {names[cid]}")
        self.stdout.write(f"{len(document['ballots'])} ballots")
        if file or not election:
            return
        official = {
            r.candidacy_id: (r.votes, r.rank, r.outcome)
            for r in CandidacyResult.objects.filter(candidacy__election_id=election)
        }
        if not official:
            self.stdout.write("not counted yet: nothing to compare")
        elif official == recounted:
            self.stdout.write(self.style.SUCCESS("the recount equals the official result"))
        else:
            self.stderr.write("THE RECOUNT DIFFERS FROM THE OFFICIAL RESULT")
            raise SystemExit(1)
