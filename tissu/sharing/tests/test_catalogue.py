import pytest
from django.urls import reverse

from tissu.directory.models import Membership, MembershipRole
from tissu.sharing.models import Category
from tissu.sharing.tests.factories import make_item, make_loan

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_the_items_offered_by_the_city_and_associations(client, association_a):
    make_item(name="Tente de réception")
    make_item(name="Vidéoprojecteur", owner=association_a, category=Category.PROJECTION)
    make_item(name="Vieille sono", is_active=False)
    html = client.get(reverse("sharing:catalogue")).content.decode()
    assert "Tente de réception" in html
    assert "Vidéoprojecteur" in html
    assert "Lent by Association A" in html
    assert "Vieille sono" not in html


def test_it_filters_by_category_owner_and_words(client, association_a):
    make_item(name="Tente de réception")
    make_item(name="Vidéoprojecteur", owner=association_a, category=Category.PROJECTION)
    url = reverse("sharing:catalogue")
    assert "Tente" not in client.get(url, {"category": "projection"}).content.decode()
    html = client.get(url, {"owner": "city"}).content.decode()
    assert "Tente" in html and "Vidéoprojecteur" not in html
    html = client.get(url, {"owner": "associations"}).content.decode()
    assert "Tente" not in html and "Vidéoprojecteur" in html
    html = client.get(url, {"q": "projecteur"}).content.decode()
    assert "Tente" not in html and "Vidéoprojecteur" in html


def test_an_htmx_search_answers_only_the_results(client):
    make_item(name="Tente de réception")
    response = client.get(reverse("sharing:catalogue"), {"q": "tente"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="catalogue-results"' in html
    assert "<h1>" not in html


def test_the_catalogue_query_count_does_not_grow_with_the_items(client, django_assert_num_queries, make_association):
    def add(count, offset):
        for number in range(count):
            owner = make_association(f"Prêteuse {offset + number}") if number % 2 else None
            make_item(name=f"Objet {offset + number}", owner=owner)

    url = reverse("sharing:catalogue")
    add(2, 0)
    client.get(url)  # warm the city settings cache
    with django_assert_num_queries(2) as small:
        client.get(url)
    add(10, 100)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_withdrawn_item_is_hidden_from_others_but_not_from_its_managers(client_for, personas, association_a):
    item = make_item(owner=association_a, is_active=False)
    url = reverse("sharing:item-detail", args=[item.pk])
    assert client_for(personas["manager_b"]).get(url).status_code == 404
    assert client_for(personas["manager_a"]).get(url).status_code == 200


def test_the_availability_calendar_counts_the_accepted_loans_only(client, association_b):
    item = make_item(quantity=5)
    loan = make_loan(item=item, borrower=association_b, quantity=3, start=1, days=1, status="accepted")
    make_loan(item=item, borrower=association_b, quantity=1, start=1, days=1, status="requested")
    month = loan.start_date.strftime("%Y-%m")
    html = client.get(reverse("sharing:item-detail", args=[item.pk]), {"mois": month}).content.decode()
    assert "2 free" in html


def test_the_public_profile_lists_the_equipment_an_association_lends(client, association_a):
    make_item(name="Percolateur 100 tasses", owner=association_a)
    make_item(name="Sono de la ville")
    html = client.get(reverse("directory:association-detail", args=[association_a.slug])).content.decode()
    assert "Equipment it lends" in html
    assert "Percolateur 100 tasses" in html
    assert "Sono de la ville" not in html


def test_a_manager_sees_loans_of_their_equipment_and_what_they_borrow(client_for, personas, association_a):
    borrower = personas["manager_b"]
    item = make_item(name="Percolateur", owner=association_a)
    make_loan(item=item, borrower="association-b", by=borrower)
    html = client_for(personas["manager_a"]).get(reverse("sharing:my-loans")).content.decode()
    assert "Association B" in html
    html = client_for(borrower).get(reverse("sharing:my-loans")).content.decode()
    assert "Percolateur" in html
    html = client_for(personas["volunteer"]).get(reverse("sharing:my-loans")).content.decode()
    assert "Percolateur" not in html
    Membership.objects.create(user=personas["volunteer"], association=association_a, role=MembershipRole.MEMBER)
    html = client_for(personas["volunteer"]).get(reverse("sharing:my-loans")).content.decode()
    assert "Percolateur" not in html  # a plain member does not manage the association's loans


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "soon"])
def test_an_odd_month_shows_the_current_one(client, month):
    item = make_item()
    assert client.get(reverse("sharing:item-detail", args=[item.pk]), {"mois": month}).status_code == 200
