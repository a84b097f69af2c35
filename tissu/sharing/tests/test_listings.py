import pytest
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.sharing.models import Listing, ListingReport, ListingStatus
from tissu.sharing.tests.factories import days_ahead, make_listing

pytestmark = pytest.mark.django_db


def listing_data(association, **overrides):
    data = {
        "association": association.pk,
        "kind": "seek",
        "title": "Cherche une friteuse pour la kermesse",
        "body": "Le 14 juin, pour la journée.",
        "expires_on": days_ahead(30).isoformat(),
    }
    data.update(overrides)
    return data


def test_a_manager_posts_a_listing_for_their_association(client_for, manager_a, association_a):
    response = client_for(manager_a).post(reverse("sharing:listing-create"), listing_data(association_a))
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert (listing.association, listing.created_by, listing.kind) == (association_a, manager_a, "seek")
    assert AuditEntry.objects.filter(action="sharing.listing.created").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"expires_on": days_ahead(-1).isoformat()}, "from today on"),
        ({"expires_on": days_ahead(400).isoformat()}, "six months"),
    ],
)
def test_a_listing_expires_within_six_months(client_for, manager_a, association_a, overrides, message):
    response = client_for(manager_a).post(reverse("sharing:listing-create"), listing_data(association_a, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Listing.objects.exists()


def test_a_manager_cannot_post_for_another_association(client_for, manager_a, association_b):
    response = client_for(manager_a).post(reverse("sharing:listing-create"), listing_data(association_b))
    assert response.status_code == 400
    assert not Listing.objects.exists()


def test_the_board_shows_published_listings_not_expired(client, association_a, django_assert_num_queries):
    make_listing(association=association_a, title="Donne des chaises")
    make_listing(association=association_a, title="Annonce expirée", expires_in=-1)
    make_listing(association=association_a, title="Annonce fermée", status=ListingStatus.CLOSED)
    url = reverse("sharing:listing-list")
    html = client.get(url).content.decode()
    assert "Donne des chaises" in html
    assert "Annonce expirée" not in html and "Annonce fermée" not in html
    expired = Listing.objects.get(title="Annonce expirée")
    assert client.get(reverse("sharing:listing-detail", args=[expired.pk])).status_code == 404
    with django_assert_num_queries(2) as small:
        client.get(url)
    for number in range(10):
        make_listing(association=association_a, title=f"Annonce {number}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_board_filters_by_kind(client, association_a):
    make_listing(association=association_a, title="Donne des chaises", kind="give")
    make_listing(association=association_a, title="Partage un local", kind="premises")
    html = client.get(reverse("sharing:listing-list"), {"kind": "premises"}).content.decode()
    assert "Partage un local" in html and "Donne des chaises" not in html


def test_the_author_closes_a_listing(client_for, manager_a, association_a):
    listing = make_listing(association=association_a)
    client_for(manager_a).post(reverse("sharing:listing-close", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.CLOSED


def test_someone_reports_a_listing_once_and_the_office_hides_it(client_for, volunteer, staff, association_a):
    listing = make_listing(association=association_a)
    client = client_for(volunteer)
    url = reverse("sharing:listing-report", args=[listing.pk])
    assert client.post(url, {"reason": "Vente déguisée."}).status_code == 302
    response = client.post(url, {"reason": "Encore."})
    assert response.status_code == 400
    assert "already reported" in response.content.decode()
    assert ListingReport.objects.count() == 1
    office = client_for(staff)
    html = office.get(reverse("sharing:listing-moderation")).content.decode()
    assert listing.title in html
    assert "Vente déguisée." in html
    office.post(reverse("sharing:listing-moderate", args=[listing.pk]), {"decision": "hide"})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.HIDDEN
    assert ListingReport.objects.get().resolved_at is not None
    assert AuditEntry.objects.filter(action="sharing.listing.hidden").exists()
    client_for(None)
    assert client.get(reverse("sharing:listing-detail", args=[listing.pk])).status_code == 404
