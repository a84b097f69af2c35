import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.sharing.models import Item
from tissu.sharing.tests.factories import make_item

pytestmark = pytest.mark.django_db

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def item_data(**overrides):
    data = {
        "name": "Grille d'exposition",
        "category": "signage",
        "description": "Grilles caddie avec pieds.",
        "quantity": "10",
        "pickup_place": "Local de l'association",
        "max_loan_days": "7",
        "notice_days": "2",
        "approval_required": "on",
        "borrower_policy": "all",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_manager_offers_an_item_in_the_name_of_their_association(client_for, manager_a, association_a):
    response = client_for(manager_a).post(reverse("sharing:item-create"), item_data(owner_choice=str(association_a.pk)))
    item = Item.objects.get()
    assert response.status_code == 302
    assert item.owner == association_a
    assert item.created_by == manager_a
    assert AuditEntry.objects.filter(action="sharing.item.created", target_id=str(item.pk)).exists()


def test_a_manager_cannot_lend_in_the_name_of_the_city_or_another_association(client_for, manager_a, association_b):
    client = client_for(manager_a)
    for choice in ("city", str(association_b.pk)):
        response = client.post(reverse("sharing:item-create"), item_data(owner_choice=choice))
        assert response.status_code == 400
    assert not Item.objects.exists()


def test_the_office_offers_an_item_of_the_city_pool(client_for, staff):
    client_for(staff).post(reverse("sharing:item-create"), item_data(owner_choice="city"))
    assert Item.objects.get().owner is None


def test_a_photo_needs_a_text_alternative(client_for, staff):
    photo = SimpleUploadedFile("grille.gif", GIF, content_type="image/gif")
    response = client_for(staff).post(reverse("sharing:item-create"), item_data(owner_choice="city", photo=photo))
    assert response.status_code == 400
    assert "Describe the photo" in response.content.decode()
    assert not Item.objects.exists()


def test_a_list_policy_needs_associations(client_for, staff, association_b):
    client = client_for(staff)
    response = client.post(reverse("sharing:item-create"), item_data(owner_choice="city", borrower_policy="list"))
    assert response.status_code == 400
    assert not Item.objects.exists()
    client.post(
        reverse("sharing:item-create"),
        item_data(owner_choice="city", borrower_policy="list", allowed_borrowers=[association_b.pk]),
    )
    assert list(Item.objects.get().allowed_borrowers.all()) == [association_b]


def test_a_manager_edits_their_item_and_the_change_is_logged(client_for, manager_a, association_a):
    item = make_item(owner=association_a, name="Percolateur")
    response = client_for(manager_a).post(
        reverse("sharing:item-edit", args=[item.pk]), item_data(name="Percolateur 100 tasses", quantity="2")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.quantity) == ("Percolateur 100 tasses", 2)
    entry = AuditEntry.objects.get(action="sharing.item.updated")
    assert "name" in entry.data["fields"]


def test_the_office_edits_the_city_items_but_a_manager_does_not(client_for, staff, manager_a):
    item = make_item()
    assert client_for(manager_a).get(reverse("sharing:item-edit", args=[item.pk])).status_code == 403
    assert client_for(staff).get(reverse("sharing:item-edit", args=[item.pk])).status_code == 200
