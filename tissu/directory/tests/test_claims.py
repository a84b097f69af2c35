"""Claiming an association: the page, the service, withdrawing, declaring one missing from the register."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from tissu.directory import claims
from tissu.directory.models import Association, Claim, ClaimStatus, Membership, Origin
from tissu.directory.tests.claims_helpers import (  # noqa: F401
    audit_actions,
    media_root,
    messages_of,
    pdf,
    png,
)

pytestmark = pytest.mark.django_db

MY_ASSOCIATIONS = reverse("directory:my-associations")
DECLARE = reverse("directory:association-declare")


def claim_url(association):
    return reverse("directory:claim-create", args=[association.slug])


class TestClaimPage:
    def test_anonymous_visitors_are_sent_to_sign_in_and_back(self, client, association_b):
        response = client.get(claim_url(association_b))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={claim_url(association_b)}"

    def test_it_shows_the_form(self, client_for, volunteer, association_b):
        response = client_for(volunteer).get(claim_url(association_b))
        assert response.status_code == 200
        assert "form" in response.context
        assert "Send my request" in response.content.decode()

    def test_a_manager_gets_a_clear_message_instead_of_a_form(self, client_for, manager_a, association_a):
        response = client_for(manager_a).get(claim_url(association_a))
        page = response.content.decode()
        assert response.status_code == 200
        assert "form" not in response.context
        assert "You already manage this association: there is nothing to claim." in page

    def test_a_manager_posting_anyway_creates_no_claim(self, client_for, manager_a, association_a):
        response = client_for(manager_a).post(claim_url(association_a), {"role": "treasurer"})
        assert response.status_code == 200
        assert "You already manage this association" in response.content.decode()
        assert not Claim.objects.exists()

    def test_it_creates_a_pending_claim_and_redirects(
        self, client_for, volunteer, association_b, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(volunteer).post(
                claim_url(association_b), {"role": "secretary", "message": "Élue à l'AG de juin.", "document": pdf()}
            )
        assert response.status_code == 302
        assert response["Location"] == MY_ASSOCIATIONS
        claim = Claim.objects.get()
        assert (claim.user, claim.association, claim.role, claim.status) == (
            volunteer,
            association_b,
            "secretary",
            ClaimStatus.PENDING,
        )
        assert claim.message == "Élue à l'AG de juin."
        assert claim.document.name.startswith("directory/claims/statuts")
        assert "directory.claim.created" in audit_actions(association_b)
        assert any("was sent to the associations office" in text for text in messages_of(response))

    def test_someone_with_a_pending_claim_sees_it_and_can_withdraw_it(self, client_for, volunteer, association_b):
        claim = claims.claim_create(user=volunteer, association=association_b, role="president")
        client = client_for(volunteer)

        page = client.get(claim_url(association_b)).content.decode()
        assert "You asked to manage this association" in page
        assert reverse("directory:claim-withdraw", args=[claim.pk]) in page

        response = client.post(reverse("directory:claim-withdraw", args=[claim.pk]), {"next": claim_url(association_b)})
        assert response.status_code == 302
        assert response["Location"] == claim_url(association_b)
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.WITHDRAWN
        assert "directory.claim.withdrawn" in audit_actions(association_b)
        # Withdrawn, the person may ask again.
        assert "form" in client.get(claim_url(association_b)).context

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (png(name="scan.gif"), "must be a PDF, JPEG or PNG file"),
            (pdf(name="minutes.docx"), "must be a PDF, JPEG or PNG file"),
            (pdf(size=5 * 1024 * 1024 + 1), "the limit is 5 MB"),
        ],
    )
    def test_it_refuses_a_wrong_document_with_a_clear_message(
        self, client_for, volunteer, association_b, upload, message
    ):
        response = client_for(volunteer).post(claim_url(association_b), {"role": "president", "document": upload})
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors["document"])
        assert not Claim.objects.exists()

    def test_a_document_of_exactly_5_mb_is_accepted(self, client_for, volunteer, association_b):
        response = client_for(volunteer).post(
            claim_url(association_b), {"role": "president", "document": pdf(size=5 * 1024 * 1024)}
        )
        assert response.status_code == 302
        assert Claim.objects.get().document

    def test_the_document_is_optional(self, client_for, volunteer, association_b):
        response = client_for(volunteer).post(claim_url(association_b), {"role": "board_member"})
        assert response.status_code == 302
        assert not Claim.objects.get().document

    def test_member_is_not_a_role_one_can_claim(self, client_for, volunteer, association_b):
        response = client_for(volunteer).post(claim_url(association_b), {"role": "member"})
        assert response.status_code == 400
        assert "role" in response.context["form"].errors

    def test_an_unknown_association_is_a_404(self, client_for, volunteer):
        response = client_for(volunteer).get(reverse("directory:claim-create", args=["nowhere"]))
        assert response.status_code == 404


class TestClaimService:
    def test_a_second_pending_claim_gets_a_clear_message(self, volunteer, association_b):
        claims.claim_create(user=volunteer, association=association_b, role="president")
        with pytest.raises(ValidationError, match="You already asked to manage this association"):
            claims.claim_create(user=volunteer, association=association_b, role="treasurer")
        assert Claim.objects.count() == 1

    def test_the_database_refuses_a_second_pending_claim_too(self, volunteer, association_b):
        Claim.objects.create(user=volunteer, association=association_b, role="president")
        with pytest.raises(IntegrityError):
            Claim.objects.create(user=volunteer, association=association_b, role="treasurer")

    def test_a_lost_race_on_the_constraint_becomes_the_same_clear_message(self, volunteer, association_b):
        Claim.objects.create(user=volunteer, association=association_b, role="president")
        # The check passes (as for two requests at once), the constraint refuses: a message, not a 500.
        with mock.patch.object(claims.Claim.objects, "filter", wraps=Claim.objects.filter) as patched:
            patched.return_value.exists.return_value = False
            with pytest.raises(ValidationError, match="You already asked"):
                claims.claim_create(user=volunteer, association=association_b, role="treasurer")
        assert Claim.objects.count() == 1

    def test_a_manager_cannot_claim_what_they_manage(self, manager_a, association_a):
        with pytest.raises(ValidationError, match="You already manage this association"):
            claims.claim_create(user=manager_a, association=association_a, role="treasurer")
        assert not Claim.objects.exists()
        assert audit_actions() == []

    def test_a_plain_member_may_claim_a_managing_role(self, volunteer, association_a):
        Membership.objects.create(user=volunteer, association=association_a, role="member")
        claim = claims.claim_create(user=volunteer, association=association_a, role="secretary")
        assert claim.status == ClaimStatus.PENDING

    def test_a_failing_email_leaves_no_claim_behind(self, volunteer, association_b):
        with (
            mock.patch("tissu.directory.emails.send_claim_received", side_effect=RuntimeError("SMTP down")),
            pytest.raises(RuntimeError),
        ):
            claims.claim_create(user=volunteer, association=association_b, role="president")
        assert not Claim.objects.exists()
        assert audit_actions() == []


class TestWithdraw:
    def test_one_cannot_withdraw_someone_elses_claim(self, client_for, volunteer, manager_b, association_a):
        claim = claims.claim_create(user=volunteer, association=association_a, role="president")
        response = client_for(manager_b).post(reverse("directory:claim-withdraw", args=[claim.pk]))
        assert response.status_code == 404
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PENDING

    def test_withdrawing_a_decided_claim_says_so(self, client_for, volunteer, staff, association_b):
        claim = claims.claim_create(user=volunteer, association=association_b, role="president")
        claims.claim_refuse(actor=staff, claim=claim, reason="Inconnu du bureau.")
        response = client_for(volunteer).post(reverse("directory:claim-withdraw", args=[claim.pk]))
        assert response.status_code == 302
        assert any("already handled" in text for text in messages_of(response))
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.REFUSED


class TestMyAssociations:
    def test_it_lists_memberships_claims_and_invitations(
        self, client_for, manager_a, staff, association_a, association_b
    ):
        refused = claims.claim_create(user=manager_a, association=association_b, role="treasurer")
        claims.claim_refuse(actor=manager_a, claim=refused, reason="Le trésorier est déjà inscrit.")
        claims.claim_create(user=manager_a, association=association_b, role="secretary")
        other = Association.objects.create(name="Club de judo", slug="club-de-judo")
        claims.invitation_create(actor=staff, association=other, email="ALICE@example.org", role="member")

        response = client_for(manager_a).get(MY_ASSOCIATIONS)
        page = response.content.decode()

        assert [m.association for m in response.context["memberships"]] == [association_a]
        assert reverse("directory:association-edit", args=[association_a.slug]) in page
        assert "Le trésorier est déjà inscrit." in page
        assert [c.status for c in response.context["claims"]] == ["pending", "refused"]
        assert [i.association for i in response.context["invitations"]] == [other]

    def test_a_plain_member_gets_no_management_links(self, client_for, volunteer, association_a):
        Membership.objects.create(user=volunteer, association=association_a, role="member")
        page = client_for(volunteer).get(MY_ASSOCIATIONS).content.decode()
        assert "Association A" in page
        assert reverse("directory:association-edit", args=[association_a.slug]) not in page


DECLARATION = {
    "name": "Collectif des jardins partagés",
    "short_name": "Jardins",
    "object": "Créer des jardins partagés dans le quartier.",
    "rna_id": "",
    "siret": "732 829 320 00074",
    "theme_1": "007070",
    "office_street_number": "4",
    "office_street_name": "allée des Tilleuls",
    "office_postcode": "91990",
    "office_city": "Bellerive-sur-Orge",
    "role": "president",
    "message": "",
}


class TestDeclare:
    def test_it_declares_an_association_with_a_pending_claim(
        self, client_for, volunteer, staff, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client_for(volunteer).post(DECLARE, DECLARATION)
        assert response.status_code == 302
        assert response["Location"] == MY_ASSOCIATIONS
        association = Association.objects.get(name="Collectif des jardins partagés")
        assert association.origin == Origin.DECLARED
        assert association.rna_id is None
        assert association.siret == "73282932000074"  # spaces stripped
        assert association.family_1 == "007000"
        assert association.search_text  # derived fields computed
        assert not association.is_verified
        claim = Claim.objects.get(association=association)
        assert (claim.user, claim.role, claim.status) == (volunteer, "president", ClaimStatus.PENDING)
        assert audit_actions(association) == ["directory.association.declared", "directory.claim.created"]
        assert len(callbacks) == 1  # the office is told once

    def test_two_declarations_without_rna_number_coexist(self, volunteer, manager_b):
        values = {k: v for k, v in DECLARATION.items() if k not in ("role", "message")}
        values.pop("siret")
        first, _ = claims.association_declare(user=volunteer, values=values, role="president")
        second, _ = claims.association_declare(user=manager_b, values=values, role="president")
        assert first.rna_id is None and second.rna_id is None
        assert first.slug != second.slug

    @pytest.mark.parametrize("name", ["Carte", "Déclarer", "Données", "Mes associations"])
    def test_a_declared_name_never_takes_a_fixed_path_of_the_directory(self, client_for, volunteer, name):
        values = {k: v for k, v in DECLARATION.items() if k not in ("role", "message", "siret")}
        association, _ = claims.association_declare(user=volunteer, values={**values, "name": name}, role="president")
        assert association.slug.endswith("-2")
        response = client_for(volunteer).get(reverse("directory:association-detail", args=[association.slug]))
        assert response.status_code == 200
        assert response.context["association"] == association

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("siret", "732 829 320 00075", "This SIRET is not valid"),
            ("siret", "1234", "This SIRET is not valid"),
            ("rna_id", "X123", "An RNA number looks like"),
            ("name", "", "This field is required"),
        ],
    )
    def test_it_refuses_bad_input(self, client_for, volunteer, field, value, message):
        response = client_for(volunteer).post(DECLARE, {**DECLARATION, field: value})
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert not Association.objects.filter(origin=Origin.DECLARED).exists()

    def test_an_association_already_in_the_directory_is_to_be_claimed(self, client_for, volunteer, association_a):
        Association.objects.filter(pk=association_a.pk).update(siret="73282932000074")
        response = client_for(volunteer).post(DECLARE, {**DECLARATION, "rna_id": association_a.rna_id})
        assert response.status_code == 400
        assert "find it and claim it" in " ".join(response.context["form"].errors["rna_id"])
        response = client_for(volunteer).post(DECLARE, DECLARATION)
        assert "find it and claim it" in " ".join(response.context["form"].errors["siret"])
        assert not Claim.objects.exists()

    def test_an_rna_number_in_lower_case_is_accepted(self, volunteer):
        values = {**{k: v for k, v in DECLARATION.items() if k not in ("role", "message")}, "rna_id": "w913004567"}
        association, _ = claims.association_declare(user=volunteer, values=values, role="president")
        assert association.rna_id == "W913004567"

    def test_a_wrong_document_leaves_no_association_behind(self, volunteer):
        values = {k: v for k, v in DECLARATION.items() if k not in ("role", "message")}
        with pytest.raises(ValidationError, match="PDF, JPEG or PNG"):
            claims.association_declare(user=volunteer, values=values, role="president", document=pdf("a.exe"))
        assert not Association.objects.filter(origin=Origin.DECLARED).exists()
        assert audit_actions() == []
