"""Demo city: the city's equipment pool, some associations' items, loans in every state (an overdue one,
deposits received, given back and partly kept), listings, and the expert base (experts, requests for help,
exchanges, help given).

Runs after tissu.directory.demo_people (associations A and B and their managers). Idempotent: items are
found by owner and name, loans by item, borrower and status; dates are relative to the day of seeding.
Written directly (not through the services) so that no email leaves and past loans can exist.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from tissu.accounts.models import User
from tissu.directory.demo_people import pick_associations
from tissu.lib.demo import DEMO_PASSWORD
from tissu.sharing.models import BorrowerPolicy, Category, Item, Loan, LoanStatus

CITY_PLACE = "Centre technique municipal, 12 rue des Ateliers (mardi et jeudi, 8 h – 11 h)"
CITY_CONDITIONS = (
    "Attestation d'assurance responsabilité civile à fournir. Matériel rendu propre et complet ; "
    "transport à la charge de l'association."
)

CITY_POOL = [
    # name, category, quantity, deposit, max days, notice, approval, description
    ("Tente de réception 5 × 8 m", Category.TENTS, 3, Decimal("300"), 5, 15, True,
     "Structure aluminium et bâche blanche, montage par quatre personnes en deux heures."),
    ("Barnum pliant 3 × 3 m", Category.TENTS, 12, Decimal("100"), 4, 7, True,
     "Barnum parapluie avec trois murs amovibles et quatre poids de lestage."),
    ("Table pliante 180 × 75 cm", Category.FURNITURE, 80, None, 7, 3, False,
     "Tables en polyéthylène, 8 places chacune, livrées par chariots de 10."),
    ("Chaise pliante", Category.FURNITURE, 400, None, 7, 3, False, "Chaises coques empilables, par lots de 25."),
    ("Sonorisation portable 2 × 500 W", Category.SOUND, 2, Decimal("500"), 3, 10, True,
     "Deux enceintes sur pied, table de mixage 8 voies, deux micros sans fil."),
    ("Barrière de sécurité", Category.SIGNAGE, 60, None, 5, 7, True, "Barrières type Vauban de 2 m."),
]  # fmt: skip

ASSOCIATION_ITEMS = [
    # owner key, name, category, quantity, policy, description
    ("association_a", "Vidéoprojecteur et écran", Category.PROJECTION, 1, BorrowerPolicy.ALL,
     "Vidéoprojecteur 3 500 lumens, écran sur trépied de 2 m, câbles HDMI."),
    ("association_a", "Percolateur 100 tasses", Category.KITCHEN, 2, BorrowerPolicy.ALL,
     "Percolateur inox de 15 litres."),
    ("association_b", "Vaisselle pour 120 personnes", Category.KITCHEN, 1, BorrowerPolicy.VERIFIED,
     "Assiettes, verres et couverts en caisses ; à rendre lavés."),
]  # fmt: skip


def _item(*, owner, name, category, quantity, **fields) -> Item:
    item, _ = Item.objects.get_or_create(
        owner=owner, name=name, defaults={"category": category, "quantity": quantity, **fields}
    )
    return item


def _loan(item, borrower, status, *, start, days, quantity, by, **fields) -> Loan:
    loan, _ = Loan.objects.get_or_create(
        item=item,
        borrower=borrower,
        status=status,
        defaults={
            "start_date": start,
            "end_date": start + datetime.timedelta(days=days - 1),
            "quantity": quantity,
            "requested_by": by,
            **fields,
        },
    )
    return loan


def seed(ctx) -> None:
    association_a = ctx.objects.get("association_a")
    association_b = ctx.objects.get("association_b")
    if association_a is None or association_b is None:
        return  # no demo associations: nothing to lend to
    picked = pick_associations()
    association_c = picked[2] if len(picked) > 2 else association_b
    staff = ctx.users.get("staff")
    pool = {}
    for name, category, quantity, deposit, max_days, notice, approval, description in CITY_POOL:
        pool[name] = _item(
            owner=None,
            name=name,
            category=category,
            quantity=quantity,
            deposit=deposit,
            max_loan_days=max_days,
            notice_days=notice,
            approval_required=approval,
            description=description,
            pickup_place=CITY_PLACE,
            conditions=CITY_CONDITIONS,
            created_by=staff,
        )
    owners = {"association_a": association_a, "association_b": association_b}
    own = {}
    for key, name, category, quantity, policy, description in ASSOCIATION_ITEMS:
        own[name] = _item(
            owner=owners[key],
            name=name,
            category=category,
            quantity=quantity,
            borrower_policy=policy,
            description=description,
            pickup_place=f"Local de l'association, {owners[key].office_city or 'Bellerive-sur-Orge'}",
            conditions="À récupérer et rapporter sur rendez-vous.",
            max_loan_days=4,
            notice_days=2,
        )

    # The barriers are handed over in weekly slots (the other items are arranged with the owner).
    from tissu.sharing.models import PickupSlot

    for weekday in (1, 3):
        PickupSlot.objects.get_or_create(
            item=pool["Barrière de sécurité"], weekday=weekday, start_time=datetime.time(8),
            defaults={"end_time": datetime.time(11), "capacity": 3},
        )  # fmt: skip
    today = timezone.localdate()
    now = timezone.now()
    manager_a, manager_b = ctx.users.get("manager_a"), ctx.users.get("manager_b")
    tent, barnum = pool["Tente de réception 5 × 8 m"], pool["Barnum pliant 3 × 3 m"]
    tables, sound = pool["Table pliante 180 × 75 cm"], pool["Sonorisation portable 2 × 500 W"]
    projector = own["Vidéoprojecteur et écran"]
    week = datetime.timedelta(days=7)
    _loan(tent, association_a, LoanStatus.REQUESTED, start=today + 3 * week, days=3, quantity=1, by=manager_a,
          message="Pour la fête de quartier de la Roseraie.")  # fmt: skip
    _loan(barnum, association_b, LoanStatus.ACCEPTED, start=today + 2 * week, days=2, quantity=4, by=manager_b,
          decided_at=now, answer="Accordé ; retrait le jeudi précédent.")  # fmt: skip
    _loan(tables, association_a, LoanStatus.CHECKED_OUT, start=today - datetime.timedelta(days=1), days=4,
          quantity=20, by=manager_a, decided_at=now, checked_out_at=now,
          checkout_note="20 tables en bon état, deux chariots.")  # fmt: skip
    _loan(sound, association_b, LoanStatus.RETURNED, start=today - 3 * week, days=2, quantity=1, by=manager_b,
          decided_at=now, checked_out_at=now, returned_at=now, checkout_note="Complet.",
          return_note="Un micro sans fil rendu sans sa bonnette.", checked_out_by=staff, returned_by=staff,
          deposit_amount=Decimal("500"), deposit_received_on=today - 3 * week, deposit_received_by=staff,
          deposit_returned_amount=Decimal("500"), deposit_returned_on=today - 2 * week,
          deposit_returned_by=staff)  # fmt: skip
    # Overdue (derived: checked out, last day past), its deposit held; and a deposit partly kept.
    _loan(barnum, association_a, LoanStatus.CHECKED_OUT, start=today - datetime.timedelta(days=6), days=2,
          quantity=2, by=manager_a, decided_at=now, checked_out_at=now, checked_out_by=staff,
          checkout_note="Deux barnums complets, housses propres.", deposit_amount=Decimal("100"),
          deposit_received_on=today - datetime.timedelta(days=6), deposit_received_by=staff)  # fmt: skip
    _loan(tent, association_b, LoanStatus.RETURNED, start=today - 6 * week, days=3, quantity=1, by=manager_b,
          decided_at=now, checked_out_at=now, returned_at=now, checked_out_by=staff, returned_by=staff,
          checkout_note="Bâche neuve.", return_note="Une bâche de toit déchirée sur 30 cm.",
          deposit_amount=Decimal("300"), deposit_received_on=today - 6 * week, deposit_received_by=staff,
          deposit_returned_amount=Decimal("250"), deposit_returned_on=today - 5 * week, deposit_returned_by=staff,
          deposit_note="50 € retenus pour la réparation de la bâche.")  # fmt: skip
    _loan(sound, association_c, LoanStatus.REFUSED, start=today + week, days=3, quantity=2, by=None,
          decided_at=now, answer="Les deux sonos sont réservées pour la fête de la musique.")  # fmt: skip
    _loan(barnum, association_a, LoanStatus.CANCELLED, start=today + week, days=1, quantity=2, by=manager_a,
          cancelled_at=now)  # fmt: skip
    _loan(projector, association_b, LoanStatus.REQUESTED, start=today + week, days=1, quantity=1, by=manager_b,
          message="Projection-débat à la maison des associations.")  # fmt: skip
    ctx.objects["sharing_items"] = {**pool, **own}
    seed_listings(ctx, association_a, association_b, association_c)
    seed_experts(ctx, association_a, association_b, association_c)


LISTINGS = [
    # association key, kind, title, body, days left
    ("a", "give", "Donne 40 chaises pliantes", "Chaises en bois, en bon état, à venir chercher au local.", 45),
    ("b", "seek", "Cherche une friteuse pour la kermesse", "Pour le samedi 13 juin, rendue nettoyée le lundi.", 30),
    ("c", "premises", "Partage notre salle le mercredi matin",
     "Salle de 40 m² au rez-de-chaussée, accessible, libre le mercredi de 9 h à 12 h.", 90),
    ("a", "staff_time", "Partage le temps de notre animatrice",
     "Notre animatrice (0,5 ETP) peut accompagner une autre association le jeudi après-midi.", 120),
    ("b", "co_organise", "Cherche des partenaires pour la fête des associations",
     "Stands, buvette, animations : réunion de préparation en mars.", 60),
]  # fmt: skip


def seed_listings(ctx, association_a, association_b, association_c) -> None:
    from tissu.sharing.models import Listing, ListingReport

    associations = {"a": association_a, "b": association_b, "c": association_c}
    today = timezone.localdate()
    managers = {"a": ctx.users.get("manager_a"), "b": ctx.users.get("manager_b"), "c": None}
    for key, kind, title, body, days in LISTINGS:
        Listing.objects.get_or_create(
            association=associations[key],
            title=title,
            defaults={
                "kind": kind,
                "body": body,
                "expires_on": today + datetime.timedelta(days=days),
                "created_by": managers[key],
            },
        )
    reported = Listing.objects.get(association=association_c, title=LISTINGS[2][2])
    ListingReport.objects.get_or_create(
        listing=reported,
        reporter=ctx.users.get("volunteer"),
        defaults={"reason": "La salle n'est pas accessible : il y a trois marches à l'entrée."},
    )


EXPERTS = [
    # email, full name, kind, headline, areas, formats (advice, training, mentoring), availability
    ("michele.garnier@bellerive.example", "Michèle Garnier", "retired",
     "Expert-comptable retraitée : budget, comptes annuels, trésorerie", ["accounting", "fundraising"],
     (True, False, True), "Deux après-midi par mois, à la maison des associations ou à distance"),
    ("yanis.cherif@bellerive.example", "Yanis Chérif", "employee",
     "Développeur en mécénat de compétences : site, outils collaboratifs, RGPD", ["digital", "communication"],
     (True, True, False), "Le vendredi, 4 h par mois accordées par son employeur"),
    ("anne.lambert@bellerive.example", "Anne Lambert", "volunteer",
     "Juriste : statuts, assemblées générales, responsabilité des dirigeants", ["law", "governance"],
     (True, False, False), "En soirée, sur rendez-vous"),
]  # fmt: skip


def _expert_person(email: str, full_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=full_name, email_verified_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed_experts(ctx, association_a, association_b, association_c) -> None:
    from tissu.sharing.models import (
        ExpertArea,
        ExpertProfile,
        HelpContact,
        HelpContactStatus,
        HelpMessage,
        HelpRecord,
        HelpRequest,
        HelpRequestStatus,
    )

    def profile(owner: dict, kind, headline, areas, formats, availability, email):
        expert, created = ExpertProfile.objects.get_or_create(
            **owner,
            defaults={
                "kind": kind, "headline": headline, "availability": availability, "contact_email": email,
                "offers_advice": formats[0], "offers_training": formats[1], "offers_mentoring": formats[2],
            },
        )  # fmt: skip
        if created:
            ExpertArea.objects.bulk_create([ExpertArea(expert=expert, area=area) for area in areas])
        return expert

    people = {}
    for email, full_name, kind, headline, areas, formats, availability in EXPERTS:
        user = _expert_person(email, full_name)
        people[email] = profile({"user": user}, kind, headline, areas, formats, availability, email)
    # Association A lends its communication officer's know-how, as an association.
    profile(
        {"association": association_a}, "association", "Notre chargée de communication forme à la mise en page",
        ["communication", "events"], (False, True, False), "Un atelier par trimestre",
        association_a.public_email or "contact@association-a.example",
    )  # fmt: skip
    manager_a, manager_b = ctx.users.get("manager_a"), ctx.users.get("manager_b")
    today = timezone.localdate()

    def help_request(association, by, title, description, area, help_format, status=HelpRequestStatus.OPEN):
        return HelpRequest.objects.get_or_create(
            association=association, title=title,
            defaults={"created_by": by, "description": description, "area": area, "format": help_format,
                      "status": status},
        )[0]  # fmt: skip

    budget = help_request(
        association_b, manager_b, "Construire notre budget prévisionnel",
        "Nous déposons une première demande de subvention et n'avons jamais fait de budget prévisionnel.",
        "accounting", "mentoring",
    )  # fmt: skip
    statutes = help_request(
        association_a, manager_a, "Mettre à jour nos statuts",
        "Nos statuts datent de 1987 ; nous voulons un bureau collégial.", "law", "advice",
    )  # fmt: skip
    help_request(
        association_c, None, "Un site internet simple", "Nous cherchons quelqu'un pour nous aider à choisir un outil.",
        "digital", "training",
    )  # fmt: skip
    accepted, _ = HelpContact.objects.get_or_create(
        request=budget, expert=people["michele.garnier@bellerive.example"],
        defaults={"proposed_by": manager_b, "status": HelpContactStatus.ACCEPTED, "answered_at": timezone.now(),
                  "message": "Bonjour, nous sommes une association de quartier de 40 adhérents."},
    )  # fmt: skip
    HelpContact.objects.get_or_create(
        request=statutes, expert=people["anne.lambert@bellerive.example"],
        defaults={"proposed_by": manager_a, "message": "Pourriez-vous relire notre projet de statuts ?"},
    )  # fmt: skip
    if not accepted.messages.exists():
        HelpMessage.objects.create(
            contact=accepted, author=people["michele.garnier@bellerive.example"].user, from_expert=True,
            body="Avec plaisir. Apportez vos comptes des deux dernières années.",
        )  # fmt: skip
        HelpMessage.objects.create(
            contact=accepted, author=manager_b, from_expert=False, body="Merci ! Mardi 18 h vous convient ?"
        )
    if not accepted.records.exists():
        for days_ago, hours, note in ((20, "2", "Lecture des comptes"), (6, "1.5", "Budget prévisionnel bâti")):
            HelpRecord.objects.create(
                contact=accepted, association=association_b, area="accounting", format="mentoring",
                expert_kind="retired", day=today - datetime.timedelta(days=days_ago), hours=Decimal(hours),
                note=note, recorded_by=manager_b,
            )  # fmt: skip
