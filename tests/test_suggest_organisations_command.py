"""`manage.py suggest_organisations`: new organisation names over the stored articles, with
the articles that name them, for curators (issue 18)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Organisation
from sources.organisation_suggestions import gather
from tests.factories import make_source

pytestmark = pytest.mark.django_db

PARTY = ("Leaders of the Steppe Farmers Party (SFP) met in Osh. The SFP wants lower taxes.\n\n"
         "Police said the Islamic State was not involved.")


def run(*args):
    out = StringIO()
    call_command("suggest_organisations", *args, stdout=out)
    return out.getvalue()


def test_names_with_their_articles_most_articles_first():
    first = make_source("Farmers party gains", PARTY, slug="farmers-party-gains")
    make_source("Farmers rally", "The Steppe Farmers Party held a rally.", slug="farmers-rally")
    make_source("Water talks", "The Valley Water Council met on Monday.", slug="water-talks")
    gathered = gather()
    assert [(g.name, g.acronym, sorted(g.slugs)) for g in gathered] == [
        ("Steppe Farmers Party", "SFP", ["farmers-party-gains", "farmers-rally"]),
        ("Valley Water Council", "", ["water-talks"]),
    ]
    assert first.slug in run()
    assert "Steppe Farmers Party (SFP): 2 articles" in run("--min-articles", "2")
    assert "Valley Water Council" not in run("--min-articles", "2")


def test_listed_names_are_not_suggested_and_nothing_is_changed():
    make_source("Farmers party gains", PARTY)
    Organisation.objects.create(name="Steppe Farmers Party", aliases="SFP")
    before = Organisation.objects.count()
    assert "0 names suggested." in run()
    assert Organisation.objects.count() == before


def test_unpublished_articles_can_be_left_out():
    make_source("Farmers party gains", PARTY, is_published=False)
    assert "Steppe Farmers Party" in run()
    assert "0 names suggested." in run("--published-only")


@pytest.mark.parametrize("args", [("--min-articles", "0"), ("--limit", "x")])
def test_bad_arguments_say_so(args):
    with pytest.raises(CommandError, match="invalid positive value"):
        call_command("suggest_organisations", *args, stdout=StringIO(), stderr=StringIO())
