"""The Sources list in the admin: readable columns, counts without N+1, short filters,
and mention rows labelled by their entity."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Country, CountryMention, Organisation, OrganisationMention, Source

from .factories import make_source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHANGELIST = "admin:sources_source_changelist"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(fresh_index):
    # Indexed into this test's own index: the rows are rolled back, the documents would stay.
    call_command("import_sources", str(SEEDS), "--no-progress", stdout=StringIO(), stderr=StringIO())
    return Source.objects.all()


def filter_choices(response, title):
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.title == title)
    return [choice["display"] for choice in spec.choices(response.context["cl"])]


def test_list_shows_counts_date_with_precision_and_derived_marker(admin_client):
    long_title = "A headline that goes on and on " * 5
    source = make_source(long_title.strip(), countries=["Tajikistan", "Kyrgyzstan"],
                         organisations=["Hizb ut-Tahrir"], published=datetime.date(2017, 3, 12),
                         date_precision="month", title_is_derived=True)
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    row = next(r for r in response.context["cl"].result_list if r.pk == source.pk)
    assert (row.country_count, row.organisation_count) == (2, 1)
    html = response.content.decode()
    assert "March 2017" in html and "12 March 2017" not in html
    # The full title is kept in the title attribute of the shortened one.
    assert f'title="{source.title}"' in html
    assert html.count('<em class="archive-derived">derived title</em>') == 1


def test_counts_cost_no_query_per_row(admin_client):
    for n in range(3):
        make_source(f"Few {n}", countries=["Tajikistan"], organisations=["OSCE"])
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse(CHANGELIST))
    for n in range(12):
        make_source(f"Many {n}", countries=["Tajikistan", "Uzbekistan"], organisations=["OSCE", "UN"])
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(reverse(CHANGELIST))
    assert response.context["cl"].result_count == 15
    assert len(many) == len(few)


def test_organisation_filter_lists_the_most_named_few_and_finds_the_rest(admin_client, seeds):
    named = Organisation.objects.filter(organisationmention__isnull=False).distinct().count()
    assert named > 12, "the seeds name enough organisations for the stock filter to be long"
    response = admin_client.get(reverse(CHANGELIST))
    listed = filter_choices(response, "organisation")
    assert len(listed) == 1 + 10  # "All" and the ten most named
    assert 'name="organisation_find"' in response.content.decode()

    rare = (Organisation.objects.filter(organisationmention__isnull=False)
            .annotate(n=Count("source"))
            .order_by("n", "name").first())
    assert not any(choice.startswith(f"{rare.name} (") for choice in listed)
    response = admin_client.get(reverse(CHANGELIST), {"organisation_find": rare.name[:6]})
    assert response.status_code == 200
    assert any(choice.startswith(f"{rare.name} (") for choice in filter_choices(response, "organisation"))

    # Choosing it filters the list, keeps it listed and the other filters work beside it.
    response = admin_client.get(reverse(CHANGELIST), {"organisations__id__exact": rare.pk, "is_published__exact": "1"})
    assert response.status_code == 200
    expected = Source.objects.filter(organisations=rare, is_published=True).count()
    assert response.context["cl"].result_count == expected >= 1
    assert any(choice.startswith(f"{rare.name} (") for choice in filter_choices(response, "organisation"))


def test_find_keeps_the_other_filters_and_says_when_nothing_matches(admin_client, seeds):
    response = admin_client.get(reverse(CHANGELIST), {"q": "Tajikistan", "country_find": "zzzz"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No country matches “zzzz”." in html
    # The organisation box's form carries the search and the country box's text along.
    assert '<input type="hidden" name="q" value="Tajikistan">' in html
    assert '<input type="hidden" name="country_find" value="zzzz">' in html


def test_bookmarked_stock_filter_address_still_filters(admin_client, seeds):
    kazakhstan = Country.objects.get(code="KZ")
    response = admin_client.get(reverse(CHANGELIST), {"countries__id__exact": kazakhstan.pk})
    assert response.context["cl"].result_count == Source.objects.filter(countries=kazakhstan).count() >= 2


def test_mentions_read_as_their_entity(admin_client, seeds):
    mention = CountryMention.objects.select_related("country").first()
    assert str(mention) == mention.country.name
    organisation_mention = OrganisationMention.objects.select_related("organisation").first()
    assert str(organisation_mention) == organisation_mention.organisation.name
    response = admin_client.get(reverse("admin:sources_source_change", args=[mention.source_id]))
    html = response.content.decode()
    assert "CountryMention object" not in html and "OrganisationMention object" not in html
    assert mention.country.name in html


def test_year_mentioned_is_typed_not_listed(admin_client):
    make_source("Mentions 2005", years=[2005, 2006])
    make_source("Mentions 1999", years=[1999])
    url = reverse(CHANGELIST)
    response = admin_client.get(url)
    assert filter_choices(response, "year mentioned") == ["All"]
    assert 'name="mentioned_years__year"' in response.content.decode()
    response = admin_client.get(url, {"mentioned_years__year": "2005"})
    assert [s.title for s in response.context["cl"].result_list] == ["Mentions 2005"]
    assert filter_choices(response, "year mentioned") == ["All", "2005"]


def test_filters_work_with_the_admin_facet_counts(admin_client):
    make_source("Counted", countries=["Tajikistan"], organisations=["OSCE"], years=[2005])
    response = admin_client.get(reverse(CHANGELIST), {"_facets": "", "mentioned_years__year": "2005"})
    assert response.status_code == 200
    assert "Tajikistan (1)" in filter_choices(response, "country")  # the admin's count, not two
