"""Curators confirm or replace the titles the archive derived from an article's first
sentence; either way the title is theirs and re-imports keep it."""

from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.urls import reverse

from sources.models import SlugRedirect, Source

from .test_admin import change_form_data

pytestmark = pytest.mark.django_db

HEADLESS = (
    "Police in Dushanbe detained three men on Tuesday after a protest outside the ministry of "
    "justice in Tajikistan, witnesses said. The men were later released.\n\n"
    "A second paragraph says more about the protest and the men who were detained.\n"
)
WITH_HEADLINE = "Kyrgyz parliament passes media law\n\nBISHKEK — The parliament passed the law on Friday.\n"


@pytest.fixture
def imported(tmp_path, fresh_index):
    """The import indexes what it stores: into an index of this test's own, since the
    database's rows are rolled back and the shared index must not keep them."""
    (tmp_path / "headless.txt").write_text(HEADLESS)
    (tmp_path / "headline.txt").write_text(WITH_HEADLINE)

    def run():
        call_command("import_sources", str(tmp_path), "--no-progress", stdout=StringIO(), stderr=StringIO())
        return Source.objects.get(source_file="headless.txt"), Source.objects.get(source_file="headline.txt")

    return run


def test_filter_lists_only_derived_titles(admin_client, imported):
    derived, headline = imported()
    assert derived.title_is_derived and not headline.title_is_derived
    url = reverse("admin:sources_source_changelist")
    assert [s.pk for s in admin_client.get(url, {"title_derived": "yes"}).context["cl"].result_list] == [derived.pk]
    assert [s.pk for s in admin_client.get(url, {"title_derived": "no"}).context["cl"].result_list] == [headline.pk]


def test_confirm_action_clears_the_flag_and_reimport_keeps_it(admin_client, imported):
    derived, headline = imported()
    response = admin_client.post(reverse("admin:sources_source_changelist"), {
        "action": "confirm_derived_titles", ACTION_CHECKBOX_NAME: [derived.pk, headline.pk],
    }, follow=True)
    assert "1 derived title(s) confirmed" in response.content.decode()
    derived.refresh_from_db()
    assert not derived.title_is_derived
    assert {"title", "title_is_derived"} <= set(derived.curated_fields)
    headline.refresh_from_db()
    assert headline.curated_fields == []  # not derived: left alone

    derived, _ = imported()
    assert not derived.title_is_derived


def test_a_new_title_replaces_the_derived_one_and_clears_the_flag(admin_client, imported):
    derived, _ = imported()
    old_slug = derived.slug
    url = reverse("admin:sources_source_change", args=[derived.pk])
    # The curator writes a title and leaves the "derived" box as it was (ticked).
    data = change_form_data(derived, title="Three detained after Dushanbe protest", title_is_derived="on")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    derived.refresh_from_db()
    assert derived.title == "Three detained after Dushanbe protest"
    assert not derived.title_is_derived
    assert derived.slug == "three-detained-after-dushanbe-protest"
    assert SlugRedirect.objects.get(old_slug=old_slug).source == derived

    derived, _ = imported()
    assert (derived.title, derived.title_is_derived) == ("Three detained after Dushanbe protest", False)
