"""The city's lists: neighbourhoods, QPVs (with code validation), publics served."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.directory import taxonomies
from tissu.directory.models import Audience, Neighbourhood, PriorityArea
from tissu.directory.tests.claims_helpers import media_root, messages_of  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = reverse("directory:staff-taxonomies")


def add_url(kind):
    return reverse("directory:staff-taxonomy-add", args=[kind])


def test_the_page_lists_each_list_with_its_usage(client_for, staff, association_a):
    quarter = Neighbourhood.objects.create(name="Centre", slug="centre")
    Neighbourhood.objects.create(name="Les Coteaux", slug="les-coteaux")
    association_a.neighbourhood = quarter
    association_a.save(update_fields=["neighbourhood"])
    response = client_for(staff).get(PAGE)
    assert response.status_code == 200
    [neighbourhoods, _qpvs, _publics] = response.context["sections"]
    assert [(entry.name, entry.usage_count) for entry in neighbourhoods["entries"]] == [
        ("Centre", 1),
        ("Les Coteaux", 0),
    ]
    page = response.content.decode()
    # Only the unused entry offers deletion.
    delete_used = reverse("directory:staff-taxonomy-delete", args=["quartiers", quarter.pk])
    assert delete_used not in page
    assert "Delete" in page


@pytest.mark.parametrize(
    ("kind", "data", "model", "expected"),
    [
        (
            "quartiers",
            {"quartiers-name": " Bords d'Orge "},
            Neighbourhood,
            {"name": "Bords d'Orge", "slug": "bords-dorge"},
        ),
        ("qpv", {"qpv-code": "qn 09101m", "qpv-name": "La Roseraie"}, PriorityArea, {"code": "QN09101M"}),
        ("qpv", {"qpv-code": "QP091001", "qpv-name": "Ancienne génération"}, PriorityArea, {"code": "QP091001"}),
        ("publics", {"publics-name": "Seniors"}, Audience, {"name": "Seniors", "slug": "seniors"}),
    ],
)
def test_staff_add_entries(client_for, staff, kind, data, model, expected):
    response = client_for(staff).post(add_url(kind), data)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#{kind}"
    entry = model.objects.get()
    for field, value in expected.items():
        assert getattr(entry, field) == value
    assert AuditEntry.objects.filter(action__endswith=".created").count() == 1


@pytest.mark.parametrize("code", ["QN0750", "XX07501M", "QN07501", "Q N 075 01 M M"])
def test_a_wrong_qpv_code_is_refused(client_for, staff, code):
    response = client_for(staff).post(add_url("qpv"), {"qpv-code": code, "qpv-name": "Quartier"})
    assert response.status_code == 400
    [_n, qpvs, _p] = response.context["sections"]
    assert "A QPV code looks like QN07501M" in " ".join(qpvs["form"].errors["code"])
    assert not PriorityArea.objects.exists()


def test_duplicates_are_refused(client_for, staff):
    Neighbourhood.objects.create(name="Centre", slug="centre")
    response = client_for(staff).post(add_url("quartiers"), {"quartiers-name": "Centre"})
    assert response.status_code == 400
    assert Neighbourhood.objects.count() == 1


def test_an_unknown_kind_is_a_404(client_for, staff):
    assert client_for(staff).post(add_url("planets"), {"planets-name": "Mars"}).status_code == 404


def test_renaming_keeps_the_associations_choice(client_for, staff, association_a):
    quarter = Neighbourhood.objects.create(name="Centre", slug="centre")
    association_a.neighbourhood = quarter
    association_a.save(update_fields=["neighbourhood"])
    url = reverse("directory:staff-taxonomy-edit", args=["quartiers", quarter.pk])
    assert client_for(staff).get(url).status_code == 200
    response = client_for(staff).post(url, {"name": "Centre-ville"})
    assert response.status_code == 302
    quarter.refresh_from_db()
    assert (quarter.name, quarter.slug) == ("Centre-ville", "centre-ville")
    association_a.refresh_from_db()
    assert association_a.neighbourhood == quarter
    entry = AuditEntry.objects.get(action="directory.neighbourhood.updated")
    assert entry.data == {"fields": ["name"], "before": {"name": "Centre"}}


def test_editing_a_qpv_validates_its_code(client_for, staff):
    qpv = PriorityArea.objects.create(code="QN09101M", name="La Roseraie")
    url = reverse("directory:staff-taxonomy-edit", args=["qpv", qpv.pk])
    response = client_for(staff).post(url, {"code": "nope", "name": "La Roseraie"})
    assert response.status_code == 400
    qpv.refresh_from_db()
    assert qpv.code == "QN09101M"


def test_deleting_only_when_unused(client_for, staff, association_a):
    used = Audience.objects.create(name="Seniors", slug="seniors")
    unused = Audience.objects.create(name="Enfants", slug="enfants")
    association_a.audiences.add(used)
    client = client_for(staff)

    response = client.post(reverse("directory:staff-taxonomy-delete", args=["publics", used.pk]))
    assert response.status_code == 302
    assert any("is used by 1 association: it can be renamed but not deleted." in m for m in messages_of(response))
    assert Audience.objects.filter(pk=used.pk).exists()

    client.post(reverse("directory:staff-taxonomy-delete", args=["publics", unused.pk]))
    assert not Audience.objects.filter(pk=unused.pk).exists()
    assert AuditEntry.objects.get(action="directory.audience.deleted").data == {"name": "Enfants"}


def test_the_service_refuses_to_delete_a_used_qpv(staff, association_a):
    qpv = PriorityArea.objects.create(code="QN09101M", name="La Roseraie")
    association_a.qpv = qpv
    association_a.save(update_fields=["qpv"])
    with pytest.raises(ValidationError):
        taxonomies.taxonomy_entry_delete(actor=staff, kind="qpv", entry=qpv)
    assert PriorityArea.objects.exists()


def test_only_the_office_manages_the_lists(client_for, manager_a):
    assert client_for(manager_a).post(add_url("quartiers"), {"quartiers-name": "X"}).status_code == 403
    assert not Neighbourhood.objects.exists()
