"""/api/sources/<slug>: one published article as export_sources writes it."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from sources.models import Source
from tests.factories import make_source

pytestmark = pytest.mark.django_db


def exported(slug):
    out = StringIO()
    call_command("export_sources", stdout=out)
    return next(r for r in map(json.loads, out.getvalue().splitlines()) if r["slug"] == slug)


def test_every_field_of_the_export_with_the_text(client):
    source = make_source("Floods in Osh", "Floods in Osh.\n\nThe river rose overnight.",
                         countries=["Kyrgyzstan"], organisations=["OSCE"], years=[2010], outlet="Wire")
    response = client.get(f"/api/sources/{source.slug}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    expected = exported(source.slug)
    assert data["url"] == "http://testserver" + expected.pop("url")
    assert {k: data[k] for k in expected} == expected
    assert data["text"] == "Floods in Osh.\n\nThe river rose overnight."
    assert data["countries"] == ["Kyrgyzstan"] and data["organisations"] == ["OSCE"] and data["years"] == [2010]


def test_unknown_and_unpublished_are_404_even_for_staff(client, admin_client):
    hidden = make_source("Draft about Osh", is_published=False)
    for c in (client, admin_client):
        for slug in (hidden.slug, "no-such-article"):
            response = c.get(f"/api/sources/{slug}")
            assert response.status_code == 404
            assert response.json() == {"error": "No such article."}
            assert "Draft" not in response.content.decode()


def test_an_old_slug_answers_301_to_the_current_address(client):
    source = make_source("First title")
    old = source.slug
    source.title, source.slug = "Second title", "second-title"
    source.save()
    from sources.models import SlugRedirect

    SlugRedirect.objects.get_or_create(old_slug=old, source=source)
    response = client.get(f"/api/sources/{old}")
    assert response.status_code == 301 and response["Location"] == "/api/sources/second-title"
    Source.objects.filter(pk=source.pk).update(is_published=False)
    assert client.get(f"/api/sources/{old}").status_code == 404


def test_text_with_markup_comes_back_as_data_not_html(client):
    source = make_source("<script>alert(1)</script>", "A <b>bold</b> & “quoted” claim.")
    data = client.get(f"/api/sources/{source.slug}").json()
    assert data["title"] == "<script>alert(1)</script>" and data["text"] == "A <b>bold</b> & “quoted” claim."
