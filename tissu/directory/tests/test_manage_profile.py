"""Editing an association's profile: only changed fields are written, with their provenance."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.directory import profile
from tissu.directory.forms_manage import ProfileForm
from tissu.directory.models import Association, Audience, Neighbourhood, PriorityArea
from tissu.directory.tests.claims_helpers import (  # noqa: F401
    audit_actions,
    media_root,
    messages_of,
    png,
)

pytestmark = pytest.mark.django_db

REGISTER_NOTE = "this value comes from the national register; if you change it here"


def edit_url(association):
    return reverse("directory:association-edit", args=[association.slug])


def form_data(association, **changes) -> dict:
    """What the edit form posts back when nothing is touched, with some changes."""
    data = {}
    for name, value in model_to_dict(association, fields=profile.EDITABLE_FIELDS).items():
        if name == "audiences":
            data[name] = [audience.pk for audience in value]
        elif name == "social_links":
            data[name] = "\n".join(value)
        elif name == "logo":
            continue
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


class TestEditPage:
    def test_a_manager_sees_the_form_with_the_register_note(self, client_for, manager_a, association_a):
        response = client_for(manager_a).get(edit_url(association_a))
        page = response.content.decode()
        assert response.status_code == 200
        assert REGISTER_NOTE in page.lower() or REGISTER_NOTE in page
        assert "provenance" not in response.context  # staff only
        assert "Where each value comes from" not in page

    def test_staff_see_the_provenance_column(self, client_for, staff, manager_a, association_a):
        profile.association_update_profile(actor=manager_a, association=association_a, values={"name": "Asso A"})
        response = client_for(staff).get(edit_url(association_a))
        page = response.content.decode()
        assert "Where each value comes from" in page
        rows = {row["name"]: row for row in response.context["provenance"]}
        assert rows["name"]["source"] == "tissu"
        assert rows["name"]["by"] == manager_a
        assert rows["object"]["source"] == "rna"
        assert rows["object"]["by"] is None
        assert "Hand back to the register" in page

    def test_a_manager_of_another_association_gets_403(self, client_for, manager_b, association_a):
        assert client_for(manager_b).get(edit_url(association_a)).status_code == 403
        response = client_for(manager_b).post(edit_url(association_a), form_data(association_a, name="Pirate"))
        assert response.status_code == 403
        association_a.refresh_from_db()
        assert association_a.name == "Association A"

    def test_saving_writes_the_changed_fields_and_their_provenance(self, client_for, manager_a, association_a):
        audience = Audience.objects.create(name="Seniors", slug="seniors")
        data = form_data(
            association_a,
            name="Les Amis du Parc",
            presentation="**Bienvenue** <script>alert(1)</script>",
            audiences=[audience.pk],
            social_links="https://www.facebook.com/amis\n\nhttps://mastodon.social/@amis",
        )
        response = client_for(manager_a).post(edit_url(association_a), data)
        assert response.status_code == 302
        assert response["Location"] == edit_url(association_a)
        association_a.refresh_from_db()
        assert association_a.name == "Les Amis du Parc"
        assert association_a.search_name == "les amis du parc"
        assert "parc" in association_a.search_text
        assert association_a.social_links == ["https://www.facebook.com/amis", "https://mastodon.social/@amis"]
        assert list(association_a.audiences.all()) == [audience]
        assert set(association_a.field_sources) == {"name", "presentation", "audiences", "social_links"}
        assert association_a.field_sources["name"]["by"] == manager_a.pk
        assert association_a.field_sources["name"]["source"] == "tissu"
        assert association_a.source_of("name") == "tissu"
        # Stored as written; |richtext sanitises on display.
        assert association_a.presentation == "**Bienvenue** <script>alert(1)</script>"
        entry = AuditEntry.objects.get(action="directory.association.updated")
        assert entry.data == {"fields": ["audiences", "name", "presentation", "social_links"]}
        assert entry.actor == manager_a

    def test_saving_an_untouched_form_changes_nothing(self, client_for, manager_a, association_a):
        response = client_for(manager_a).post(edit_url(association_a), form_data(association_a))
        assert response.status_code == 302
        assert "Nothing changed." in messages_of(response)
        association_a.refresh_from_db()
        assert association_a.field_sources == {}
        assert audit_actions() == []

    def test_after_an_edit_the_note_says_imports_no_longer_update_the_field(self, client_for, manager_a, association_a):
        profile.association_update_profile(actor=manager_a, association=association_a, values={"name": "Asso A"})
        form = client_for(manager_a).get(edit_url(association_a)).context["form"]
        assert "imports of the national register no longer update this value" in form.fields["name"].help_text
        assert "comes from the national register" in form.fields["object"].help_text

    def test_a_declared_association_gets_no_register_note(self, client_for, manager_a, make_association):
        declared = make_association("Jardins", origin="declared")
        form = ProfileForm(instance=declared)
        assert "national register" not in str(form.fields["name"].help_text)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"is_employer": "on", "employee_fte": None}, "employee_fte", "full-time equivalent"),
            ({"social_links": "https://ok.example\nnot a link"}, "social_links", "not a link"),
            ({"social_links": "javascript:alert(1)"}, "social_links", "Not web addresses"),
            ({"siret": "123 456 789 00000"}, "siret", "This SIRET is not valid"),
            ({"latitude": "95", "longitude": "2.3"}, "latitude", "Between -90 and 90"),
            ({"latitude": "48.6"}, "longitude", "Give both the latitude and the longitude."),
            ({"public_email": "nope"}, "public_email", "valid email"),
            ({"website": "ftp://x"}, "website", "valid URL"),
            ({"name": ""}, "name", "required"),
        ],
    )
    def test_it_refuses_bad_input_and_saves_nothing(
        self, client_for, manager_a, association_a, changes, field, message
    ):
        response = client_for(manager_a).post(edit_url(association_a), form_data(association_a, **changes))
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        association_a.refresh_from_db()
        assert association_a.field_sources == {}
        # The page keeps the stored name in its title, not the rejected input.
        assert response.context["association"].name == "Association A"

    def test_an_employer_with_its_fte_is_saved(self, client_for, manager_a, association_a):
        data = form_data(association_a, is_employer="on", employee_fte="2.5")
        assert client_for(manager_a).post(edit_url(association_a), data).status_code == 302
        association_a.refresh_from_db()
        assert (association_a.is_employer, association_a.employee_fte) == (True, Decimal("2.50"))

    def test_the_siret_is_stored_without_spaces(self, client_for, manager_a, association_a):
        client_for(manager_a).post(edit_url(association_a), form_data(association_a, siret="732 829 320 00074"))
        association_a.refresh_from_db()
        assert association_a.siret == "73282932000074"

    def test_a_logo_needs_its_text_alternative_and_at_most_2_mb(self, client_for, manager_a, association_a):
        client = client_for(manager_a)
        response = client.post(edit_url(association_a), {**form_data(association_a), "logo": png()})
        assert response.status_code == 400
        assert "Describe the logo" in response.context["form"].errors["logo_alt"][0]
        response = client.post(
            edit_url(association_a),
            {**form_data(association_a, logo_alt="Logo"), "logo": png(size=2 * 1024 * 1024 + 1)},
        )
        assert response.status_code == 400
        assert "the limit is 2 MB" in response.context["form"].errors["logo"][0]
        response = client.post(
            edit_url(association_a), {**form_data(association_a, logo_alt="Un arbre vert"), "logo": png()}
        )
        assert response.status_code == 302
        association_a.refresh_from_db()
        assert association_a.logo.name.startswith("associations/logos/logo")
        assert {"logo", "logo_alt"} <= set(association_a.field_sources)

    def test_staff_may_edit_too(self, client_for, staff, association_a):
        response = client_for(staff).post(edit_url(association_a), form_data(association_a, keywords="judo, sport"))
        assert response.status_code == 302
        association_a.refresh_from_db()
        assert association_a.field_sources["keywords"]["by"] == staff.pk


class TestProfileService:
    def test_it_writes_only_changed_fields(self, manager_a, association_a):
        changed = profile.association_update_profile(
            actor=manager_a, association=association_a, values={"name": "Association A", "object": "Danser."}
        )
        assert changed == ["object"]
        association_a.refresh_from_db()
        assert set(association_a.field_sources) == {"object"}
        assert "dans" in association_a.search_text

    def test_the_callers_instance_is_brought_up_to_date(self, manager_a, association_a):
        profile.association_update_profile(actor=manager_a, association=association_a, values={"name": "Neuf"})
        assert association_a.name == "Neuf"
        assert "name" in association_a.field_sources

    def test_foreign_keys_and_taxonomies(self, manager_a, association_a):
        quarter = Neighbourhood.objects.create(name="Centre", slug="centre")
        qpv = PriorityArea.objects.create(code="QN09199M", name="La Roseraie")
        profile.association_update_profile(
            actor=manager_a, association=association_a, values={"neighbourhood": quarter, "qpv": qpv}
        )
        association_a.refresh_from_db()
        assert (association_a.neighbourhood, association_a.qpv) == (quarter, qpv)

    def test_a_later_import_skips_edited_fields(self, manager_a, association_a):
        """The contract with the RNA import: a field in field_sources is Tissu's, the others the register's."""
        profile.association_update_profile(actor=manager_a, association=association_a, values={"name": "Neuf"})
        association_a.refresh_from_db()
        assert association_a.source_of("name") == "tissu"
        assert association_a.source_of("object") == "rna"

    def test_it_refuses_fields_outside_the_profile(self, manager_a, association_a):
        with pytest.raises(ValueError, match="not editable"):
            profile.association_update_profile(actor=manager_a, association=association_a, values={"rna_id": "W1"})

    def test_a_failing_audit_leaves_nothing_half_saved(self, manager_a, association_a, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("audit down")

        monkeypatch.setattr(profile, "audit_log", broken)
        with pytest.raises(RuntimeError):
            profile.association_update_profile(actor=manager_a, association=association_a, values={"name": "Neuf"})
        stored = Association.objects.get(pk=association_a.pk)
        assert (stored.name, stored.field_sources) == ("Association A", {})


class TestFieldReset:
    def reset_url(self, association):
        return reverse("directory:association-field-reset", args=[association.slug])

    def test_staff_hand_a_field_back_to_the_register(self, client_for, staff, manager_a, association_a):
        profile.association_update_profile(actor=manager_a, association=association_a, values={"name": "Neuf"})
        response = client_for(staff).post(self.reset_url(association_a), {"field": "name"})
        assert response.status_code == 302
        association_a.refresh_from_db()
        assert association_a.field_sources == {}
        assert association_a.name == "Neuf"  # until the next import writes the register's value
        assert association_a.source_of("name") == "rna"
        entry = AuditEntry.objects.get(action="directory.association.field_reset")
        assert entry.data == {"field": "name"}

    def test_managers_cannot(self, client_for, manager_a, association_a):
        profile.association_update_profile(actor=manager_a, association=association_a, values={"name": "Neuf"})
        assert client_for(manager_a).post(self.reset_url(association_a), {"field": "name"}).status_code == 403
        with pytest.raises(PermissionDenied):
            profile.association_reset_field(actor=manager_a, association=association_a, field="name")
        association_a.refresh_from_db()
        assert "name" in association_a.field_sources

    def test_only_register_fields_can_be_handed_back(self, client_for, staff, association_a):
        response = client_for(staff).post(self.reset_url(association_a), {"field": "presentation"})
        assert response.status_code == 302
        assert "Unknown field." in messages_of(response)


def test_an_odd_register_value_elsewhere_does_not_block_an_edit(manager_a, association_a):
    # The register sometimes holds values Django's validators refuse (here a website without scheme).
    Association.objects.filter(pk=association_a.pk).update(website="www.asso-a.fr")
    association_a.refresh_from_db()
    assert profile.association_update_profile(
        actor=manager_a, association=association_a, values={"keywords": "danse"}
    ) == ["keywords"]
