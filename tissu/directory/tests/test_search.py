"""The directory's list: full text, facets with counts, order, pagination, htmx, query counts."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tissu.directory import search_selectors
from tissu.directory.models import Audience, Neighbourhood, PriorityArea
from tissu.directory.search_selectors import SearchFilters, search_facets, search_results

pytestmark = pytest.mark.django_db
URL = reverse("directory:association-list")


def names(response) -> list[str]:
    return [association.name for association in response.context["results"].page]


def found(**filters) -> list[str]:
    results = search_results(filters=SearchFilters(**filters), page_number=1, per_page=100)
    return [association.name for association in results.page]


def facet(facets, name) -> dict:
    [match] = [item for item in facets if item.name == name]
    return {value.value: value.count for value in match.values}


# --- Full text ----------------------------------------------------------------------------------------


def test_it_finds_an_association_by_a_word_of_its_name(client, make_association):
    make_association("Club de judo de Bellerive")
    make_association("Chorale des Coteaux")
    response = client.get(URL, {"q": "judo"})
    assert response.status_code == 200
    assert names(response) == ["Club de judo de Bellerive"]
    assert "Club de judo de Bellerive" in response.content.decode()


def test_it_ignores_accents_and_case(make_association):
    make_association("THÉÂTRE DES TILLEULS")
    assert found(q="theatre") == ["THÉÂTRE DES TILLEULS"]
    assert found(q="Théâtre") == ["THÉÂTRE DES TILLEULS"]


def test_a_word_finds_its_other_forms(make_association):
    make_association("Union sportive de Bellerive")
    make_association("Sport pour tous")
    assert sorted(found(q="sportives")) == ["Sport pour tous", "Union sportive de Bellerive"]
    assert sorted(found(q="sport")) == ["Sport pour tous", "Union sportive de Bellerive"]


def test_a_partial_word_finds_words_starting_with_it(make_association):
    make_association("Les Randonneurs de l'Orge")
    assert found(q="rando") == ["Les Randonneurs de l'Orge"]


def test_a_word_must_start_a_word_not_sit_inside_one(make_association):
    make_association("Sport pour tous")
    make_association("Port de plaisance")
    assert found(q="port") == ["Port de plaisance"]


def test_every_word_of_the_query_must_match(make_association):
    make_association("Club de judo de Bellerive")
    make_association("Club de tennis de Bellerive")
    assert found(q="club judo") == ["Club de judo de Bellerive"]
    assert found(q="judo tennis") == []


def test_it_searches_the_short_name_the_object_and_the_keywords(make_association):
    make_association("Association A1", short_name="USB")
    make_association("Association A2", object="Promouvoir la pratique de la pétanque")
    make_association("Association A3", keywords="boules, convivialité")
    assert found(q="usb") == ["Association A1"]
    assert found(q="petanque") == ["Association A2"]
    assert found(q="boules") == ["Association A3"]


def test_stop_words_alone_list_everything(make_association):
    make_association("Chorale des Coteaux")
    assert found(q="les associations") == ["Chorale des Coteaux"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_a_typo_finds_close_names_when_nothing_matches(client, make_association):
    make_association("Chorale de Bellerive")
    make_association("Club de judo")
    response = client.get(URL, {"q": "chorrale"})  # its prefix "chorr" starts no word
    assert names(response) == ["Chorale de Bellerive"]
    assert response.context["results"].fuzzy
    assert "these use close words" in response.content.decode()
    assert names(client.get(URL, {"q": "judo"})) == ["Club de judo"]  # exact matches: no close names


def test_the_full_text_index_and_like_find_the_same_associations(make_association):
    """PostgreSQL matches search_vector (whole words and their first 3 to 5 characters), SQLite LIKE on
    search_text: terms of every length find the same word starts either way."""
    make_association("Union sportive de Bellerive", object="Football et futsal")
    make_association("Sport pour tous")
    make_association("Transports solidaires", keywords="vtt, co2")
    make_association("Club de spéléologie")
    for query in ["sportives", "sport", "spor", "spo", "sp", "futsal union", "transp", "vt", "vtt", "co", "co2",
                  "spel", "speleologie", "solidaire", "x"]:  # fmt: skip
        terms = SearchFilters(q=query)
        by_index = search_selectors.association_search(filters=terms, mode=search_selectors.MODE_INDEX)
        by_like = search_selectors.association_search(filters=terms, mode=search_selectors.MODE_SCAN)
        assert sorted(by_index.values_list("name", flat=True)) == sorted(by_like.values_list("name", flat=True))
    assert sorted(found(q="sportives")) == ["Sport pour tous", "Union sportive de Bellerive"]
    assert sorted(found(q="spo")) == ["Sport pour tous", "Union sportive de Bellerive"]
    assert found(q="spe") == ["Club de spéléologie"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_facet_lexemes_of_the_vector_follow_every_change_and_match_the_columns(make_association):
    """PostgreSQL answers text and facets from one tsquery over search_vector (migration 0007); the column
    conditions (SQLite's way, MODE_SCAN) must find the same associations, before and after each kind of write."""
    from tissu.directory.models import Association

    centre = Neighbourhood.objects.create(name="Centre", slug="centre")
    gare = Neighbourhood.objects.create(name="Gare", slug="gare")
    qpv = PriorityArea.objects.create(code="QN09101M", name="Les Tilleuls")
    youth = Audience.objects.create(name="Jeunes", slug="jeunes")
    seniors = Audience.objects.create(name="Seniors", slug="seniors")
    judo = make_association("Club de judo", theme_1="011140", neighbourhood=centre, accepts_volunteers=True)
    choir = make_association("Chorale du centre", theme_1="006030", theme_2="011140", qpv=qpv, is_employer=True)
    make_association("Jardins partagés", theme_1="013000", neighbourhood=gare, verified_at=timezone.now())
    make_association("Club dissous", theme_1="011140", rna_position="D", neighbourhood=centre)
    judo.audiences.set([youth])
    choir.audiences.set([youth, seniors])
    cases = [
        {"families": ("011000",)}, {"families": ("006000", "013000")}, {"families": ("999999",)},
        {"neighbourhoods": ("centre",)}, {"neighbourhoods": ("centre", "gare")}, {"neighbourhoods": ("nowhere",)},
        {"qpvs": ("QN09101M",)}, {"qpvs": ("QN00000X",)}, {"audiences": ("jeunes",)},
        {"audiences": ("seniors", "jeunes")}, {"audiences": ("nobody",)}, {"employer": True}, {"volunteers": True},
        {"statuses": ("verified",)}, {"statuses": ("active", "dissolved")}, {"q": "club", "families": ("011000",)},
        {"q": "club", "neighbourhoods": ("centre",), "statuses": ("dissolved",)},
        {"q": "chorale", "audiences": ("seniors",), "qpvs": ("QN09101M",), "employer": True},
        {"families": ("011000",), "audiences": ("jeunes",), "volunteers": True},
        {"families": ("01100'0",)}, {"q": "jardins", "statuses": ("verified",)},
    ]  # fmt: skip

    def check():
        for case in cases:
            filters = SearchFilters(**case)
            by_vector = search_selectors.association_search(filters=filters, mode=search_selectors.MODE_INDEX)
            by_columns = search_selectors.association_search(filters=filters, mode=search_selectors.MODE_SCAN)
            assert sorted(by_vector.values_list("name", flat=True)) == sorted(
                by_columns.values_list("name", flat=True)
            ), case

    check()
    assert found(families=("011000",)) == ["Chorale du centre", "Club de judo"]  # the second theme counts
    # Every kind of write: the ORM, a queryset update, the many-to-many table (its trigger), a deletion.
    judo.accepts_volunteers, judo.is_employer, judo.neighbourhood = False, True, gare
    judo.save()
    Association.objects.filter(pk=choir.pk).update(qpv=None, verified_at=timezone.now(), theme_2="", family_2="")
    judo.audiences.add(seniors)
    choir.audiences.remove(youth)
    gare.delete()  # ON DELETE SET NULL
    check()
    assert found(neighbourhoods=("gare",)) == []
    assert found(audiences=("seniors",)) == ["Chorale du centre", "Club de judo"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_only_unknown_words_are_corrected(client, make_association):
    make_association("Chorale de Bellerive")
    make_association("Club de judo")
    # Two known words that never meet: nothing, and no correction offered.
    response = client.get(URL, {"q": "chorale judo"})
    assert names(response) == [] and not response.context["results"].fuzzy
    # A typo next to a good word: the typo alone is corrected.
    response = client.get(URL, {"q": "chorrale bellerive"})
    assert names(response) == ["Chorale de Bellerive"] and response.context["results"].fuzzy
    # An unknown word with nothing close: nothing.
    assert names(client.get(URL, {"q": "xylophone"})) == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_vocabulary_learns_the_words_of_new_and_renamed_associations(client, make_association):
    from tissu.directory.models import Association

    club = make_association("Club de judo")
    assert names(client.get(URL, {"q": "bdaminton"})) == []
    Association.objects.filter(pk=club.pk).update(search_text="club badminton")
    response = client.get(URL, {"q": "bdaminton"})
    assert names(response) == ["Club de judo"] and response.context["results"].fuzzy


def test_pages_beyond_the_limit_are_disjoint_slices_of_the_matches(make_association, monkeypatch):
    monkeypatch.setattr(search_selectors, "COUNT_LIMIT", 10)
    monkeypatch.setattr(search_selectors, "FACET_LIMIT", 10)
    for number in range(14):
        make_association(f"Chorale {number:02d}")
    make_association("Club de judo")

    def page(number):
        results = search_results(filters=SearchFilters(q="chorale"), page_number=number, per_page=4)
        assert (results.total, results.is_capped, results.order) == (10, True, "register")
        return [association.name for association in results.page]

    pages = [page(1), page(2), page(3)]
    assert page(1) == pages[0]  # the same from one request to the next
    assert [len(names) for names in pages] == [4, 4, 2]
    assert len({name for names in pages for name in names}) == 10
    assert all(name.startswith("Chorale") for names in pages for name in names)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_facets_are_not_counted_when_the_words_alone_are_expected_to_match_too_many(make_association, monkeypatch):
    monkeypatch.setattr(search_selectors, "FACET_LIMIT", 3)
    monkeypatch.setattr(search_selectors, "FACET_ESTIMATE_MARGIN", 1)
    centre = Neighbourhood.objects.create(name="Centre", slug="centre")
    for number in range(40):
        make_association(f"Club {number:02d}", neighbourhood=centre if number == 7 else None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_association")
    results = search_results(filters=SearchFilters(q="club", neighbourhoods=("centre",)), page_number=1)
    assert [association.name for association in results.page] == ["Club 07"]
    assert (results.total, results.facets_counted) == (1, False)
    # A rare word with the same filter: its base set is read and counted.
    results = search_results(filters=SearchFilters(q="club 07", neighbourhoods=("centre",)), page_number=1)
    assert results.facets_counted


# --- Scope --------------------------------------------------------------------------------------------


def test_it_lists_active_associations_by_default(client, make_association):
    make_association("Active club")
    make_association("Dissolved club", rna_position="D")
    make_association("Taken over club", rna_position="R")
    make_association("Removed club", rna_position="S")
    assert names(client.get(URL)) == ["Active club"]
    assert names(client.get(URL, {"status": "dissolved"})) == ["Dissolved club", "Taken over club"]
    assert names(client.get(URL, {"status": ["active", "dissolved"]})) == [
        "Active club",
        "Dissolved club",
        "Taken over club",
    ]


def test_removed_associations_and_those_not_to_publish_are_never_public(client, make_association):
    make_association("Removed club", rna_position="S")
    make_association("Unpublished club", publish_on_web=False)
    for params in ({}, {"status": "removed"}, {"status": ["active", "dissolved", "removed"]}, {"q": "club"}):
        assert names(client.get(URL, params)) == []


def test_the_associations_office_can_list_removed_associations(client, staff, make_association):
    make_association("Removed club", rna_position="S")
    make_association("Unpublished club", publish_on_web=False)
    client.force_login(staff)
    assert names(client.get(URL, {"status": "removed"})) == ["Removed club"]
    assert names(client.get(URL, {"q": "club"})) == ["Unpublished club"]


def test_verified_keeps_the_associations_the_city_verified(client, make_association):
    make_association("Verified club", verified_at=timezone.now())
    make_association("Other club")
    make_association("Verified but dissolved", verified_at=timezone.now(), rna_position="D")
    assert names(client.get(URL, {"status": "verified"})) == ["Verified club"]
    assert names(client.get(URL, {"status": ["verified", "dissolved"]})) == ["Verified but dissolved"]


# --- Facets -------------------------------------------------------------------------------------------


def test_a_theme_family_counts_each_association_once(make_association):
    make_association("Judo et culture", theme_1="011140", theme_2="006030")  # sports + culture
    make_association("Judo et tennis", theme_1="011140", theme_2="011170")  # sports twice
    make_association("Chorale", theme_1="006030")
    facets, counted = search_facets(filters=SearchFilters())
    assert counted
    assert facet(facets, "family") == {"011000": 2, "006000": 2}
    [families] = [item for item in facets if item.name == "family"]
    assert {value.label for value in families.values} == {
        "sports, activités de plein air",
        "culture, pratiques d’activités artistiques, culturelles",
    }


def test_filtering_on_a_family_uses_both_themes(client, make_association):
    make_association("Judo et culture", theme_1="011140", theme_2="006030")
    make_association("Chorale", theme_1="006030")
    make_association("Tennis", theme_1="011170")
    assert names(client.get(URL, {"family": "006000"})) == ["Chorale", "Judo et culture"]
    assert names(client.get(URL, {"family": ["006000", "011000"]})) == ["Chorale", "Judo et culture", "Tennis"]


def test_facet_counts_follow_the_text_and_the_other_filters(make_association):
    centre = Neighbourhood.objects.create(name="Centre", slug="centre")
    make_association("Club de judo", theme_1="011140", neighbourhood=centre, accepts_volunteers=True)
    make_association("Club de tennis", theme_1="011170")
    make_association("Chorale", theme_1="006030", neighbourhood=centre, is_employer=True)
    facets, _ = search_facets(filters=SearchFilters(q="club"))
    assert facet(facets, "family") == {"011000": 2}
    assert facet(facets, "neighbourhood") == {"centre": 1}
    assert facet(facets, "flags") == {"volunteers": 1, "employer": 0}
    facets, _ = search_facets(filters=SearchFilters(neighbourhoods=("centre",)))
    assert facet(facets, "family") == {"011000": 1, "006000": 1}
    assert facet(facets, "flags") == {"volunteers": 1, "employer": 1}


def test_a_facet_keeps_counting_its_other_values_when_one_is_ticked(make_association):
    centre = Neighbourhood.objects.create(name="Centre", slug="centre")
    gare = Neighbourhood.objects.create(name="La Gare", slug="gare")
    Neighbourhood.objects.create(name="Nobody there", slug="empty")
    make_association("A", neighbourhood=centre)
    make_association("B", neighbourhood=gare)
    make_association("C", neighbourhood=gare)
    facets, _ = search_facets(filters=SearchFilters(neighbourhoods=("centre",)))
    values = {value.value: (value.count, value.selected) for value in facets[1].values}
    assert values == {"centre": (1, True), "gare": (2, False)}  # a value without associations is not offered


def test_qpv_audience_employer_and_volunteer_filters(client, make_association):
    qpv = PriorityArea.objects.create(code="QN09101M", name="Les Tilleuls")
    youth = Audience.objects.create(name="Jeunes", slug="jeunes")
    seniors = Audience.objects.create(name="Seniors", slug="seniors")
    first = make_association("In the QPV", qpv=qpv, is_employer=True, employee_fte=Decimal("2.5"))
    second = make_association("For the young", accepts_volunteers=True)
    first.audiences.add(youth, seniors)
    second.audiences.add(youth)
    assert names(client.get(URL, {"qpv": "QN09101M"})) == ["In the QPV"]
    assert names(client.get(URL, {"audience": "jeunes"})) == ["For the young", "In the QPV"]
    assert names(client.get(URL, {"audience": ["jeunes", "seniors"]})) == ["For the young", "In the QPV"]
    assert names(client.get(URL, {"employer": "1"})) == ["In the QPV"]
    assert names(client.get(URL, {"volunteers": "1"})) == ["For the young"]
    facets, _ = search_facets(filters=SearchFilters())
    assert facet(facets, "audience") == {"jeunes": 2, "seniors": 1}
    assert facet(facets, "qpv") == {"QN09101M": 1}


def test_the_publics_filter_follows_every_change_of_an_associations_publics(client, make_association):
    """On PostgreSQL the filter reads the publics denormalised in the row (migration 0005's trigger)."""
    youth = Audience.objects.create(name="Jeunes", slug="jeunes")
    seniors = Audience.objects.create(name="Seniors", slug="seniors")
    club = make_association("Club")
    club.audiences.set([youth, seniors])
    assert names(client.get(URL, {"audience": "seniors"})) == ["Club"]
    club.audiences.remove(seniors)
    assert names(client.get(URL, {"audience": "seniors"})) == []
    assert names(client.get(URL, {"q": "club", "audience": "jeunes"})) == ["Club"]
    youth.delete()
    assert names(client.get(URL, {"audience": "jeunes"})) == []
    club.audiences.set([seniors])
    facets, _ = search_facets(filters=SearchFilters())
    assert facet(facets, "audience") == {"seniors": 1}
    club.audiences.clear()
    assert names(client.get(URL, {"audience": "seniors"})) == []


def test_status_counts_cover_every_position_the_visitor_may_see(make_association):
    make_association("A1")
    make_association("A2", verified_at=timezone.now())
    make_association("D1", rna_position="D")
    make_association("S1", rna_position="S")
    facets, _ = search_facets(filters=SearchFilters())
    assert facet(facets, "status") == {"active": 2, "dissolved": 1, "verified": 1}
    facets, _ = search_facets(filters=SearchFilters(), staff=True)
    assert facet(facets, "status") == {"active": 2, "dissolved": 1, "removed": 1, "verified": 1}


def test_the_page_shows_facets_with_labels_and_counts(client, make_association):
    Neighbourhood.objects.create(name="Le Plateau", slug="plateau")
    make_association("Club de judo", theme_1="011140", neighbourhood=Neighbourhood.objects.get())
    html = client.get(URL).content.decode()
    assert re.search(r'name="family" value="011000"[^>]*>\s*<label[^>]*>Sports, activités de plein air', html)
    assert re.search(r"Le Plateau <span class=\"facet-count\">\(1\)</span>", html)


def test_above_the_facet_limit_values_are_offered_without_counts(client, make_association, monkeypatch):
    monkeypatch.setattr(search_selectors, "FACET_LIMIT", 2)
    for number in range(3):
        make_association(f"Club {number}", theme_1="011140")
    facets, counted = search_facets(filters=SearchFilters())
    assert not counted
    families = facet(facets, "family")
    assert len(families) == 29 and set(families.values()) == {None}
    assert "Too many associations match to count them" in client.get(URL).content.decode()


def test_malformed_filters_are_ignored(client, make_association):
    make_association("Club de judo")
    response = client.get(URL, {"family": "nope", "qpv": "<script>", "status": "gone", "order": "random", "page": "x"})
    assert response.status_code == 200
    assert names(response) == ["Club de judo"]


# --- Order and pages ----------------------------------------------------------------------------------


def test_names_matching_the_query_come_first(client, make_association):
    make_association("Amicale des retraités", object="Sorties, jeux et chorale")
    make_association("Chorale des Coteaux")
    assert names(client.get(URL, {"q": "chorale"})) == ["Chorale des Coteaux", "Amicale des retraités"]
    assert names(client.get(URL, {"q": "chorale", "order": "name"})) == [
        "Amicale des retraités",
        "Chorale des Coteaux",
    ]


def test_without_a_query_the_order_is_by_name_ignoring_accents(client, make_association):
    for name in ("Zèbre", "École", "abeilles"):
        make_association(name)
    assert names(client.get(URL)) == ["abeilles", "École", "Zèbre"]


def test_it_shows_twenty_per_page_with_the_page_count_and_keeps_the_filters(client, make_association):
    for number in range(45):
        make_association(f"Club {number:02d}", theme_1="011140")
    response = client.get(URL, {"family": "011000", "page": 2})
    assert names(response) == [f"Club {number:02d}" for number in range(20, 40)]
    html = response.content.decode()
    assert "Page 2 of 3" in html
    assert 'href="?family=011000&amp;page=3"' in html
    assert "45 associations match." in html


def test_the_count_stops_at_the_limit(client, make_association, monkeypatch):
    monkeypatch.setattr(search_selectors, "COUNT_LIMIT", 5)
    monkeypatch.setattr(search_selectors, "FACET_LIMIT", 5)
    for number in range(7):
        make_association(f"Chorale {number}")
    response = client.get(URL, {"q": "chorale"})
    results = response.context["results"]
    assert (results.total, results.is_capped, results.order) == (5, True, "register")
    assert "More than 5 associations match." in response.content.decode()
    assert "listed in the order they are stored" in response.content.decode()
    assert "Page 1 of 1" not in response.content.decode()


def test_beyond_the_limit_the_facets_are_offered_without_counts(client, make_association, monkeypatch):
    monkeypatch.setattr(search_selectors, "COUNT_LIMIT", 5)
    monkeypatch.setattr(search_selectors, "FACET_LIMIT", 5)
    for number in range(7):
        make_association(f"Chorale {number}", theme_1="006020")
    results = client.get(URL, {"q": "chorale"}).context["results"]
    assert not results.facets_counted
    [family] = [facet for facet in results.facets if facet.name == "family"]
    assert [(value.value, value.count) for value in family.values if value.value == "006000"] == [("006000", None)]


# --- The page -----------------------------------------------------------------------------------------


def test_the_form_is_a_get_form_with_a_live_htmx_update(client):
    html = client.get(URL).content.decode()
    assert 'method="get"' in html and 'role="search"' in html
    assert 'hx-get="/associations/"' in html and 'hx-push-url="true"' in html
    assert 'hx-target="#search-results"' in html
    assert 'for="id_q"' in html


def test_htmx_gets_only_the_results_region(client, make_association):
    make_association("Club de judo")
    response = client.get(URL, {"q": "judo"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<div id="search-results"' in html
    assert '<p id="search-status" hx-swap-oob="innerHTML">' in html and "1 association matches." in html
    assert "<h1>" not in html and "Club de judo" in html
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<h1>" in response.content.decode()


def test_it_refuses_writes(client):
    assert client.post(URL).status_code == 405


def _list_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(search_queries(captured))


def search_queries(captured) -> list:
    """The page's queries, less the savepoints of its transaction (PostgreSQL: a test runs inside a
    transaction, where the view's own becomes a savepoint; served, it is BEGIN and COMMIT)."""
    return [query for query in captured if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "club"}, {"q": "club", "family": "011000", "neighbourhood": "n1", "audience": "a1", "volunteers": "1"}],
)
def test_the_number_of_queries_does_not_grow_with_the_associations(client, make_association, params):
    neighbourhood = Neighbourhood.objects.create(name="N1", slug="n1")
    audience = Audience.objects.create(name="A1", slug="a1")

    def add(count, start):
        for number in range(start, start + count):
            association = make_association(
                f"Club {number}",
                theme_1="011140",
                theme_2="006030",
                neighbourhood=neighbourhood,
                accepts_volunteers=True,
                verified_at=timezone.now(),
            )
            association.audiences.add(audience)

    add(10, 0)
    client.get(URL)  # the city settings are cached from the first page on
    few = _list_queries(client, params)
    add(190, 10)
    many = _list_queries(client, params)
    assert few == many
    # count, facets, page; on PostgreSQL first the search's server settings (work_mem, jit), and with a text and
    # a filter the planner's estimate of the text alone (whether the facets' base set is worth reading)
    postgresql = connection.vendor == "postgresql"
    assert few == 3 + postgresql + (postgresql and "q" in params and len(params) > 1)
