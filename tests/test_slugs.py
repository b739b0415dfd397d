"""Article addresses: the title's words in their order, and addresses that never break."""

import pytest
from django.core.management import call_command

from sources import importer
from sources.models import Source

pytestmark = pytest.mark.django_db

# Long enough that the 80-character limit falls inside a word; python-slugify
# without save_order skipped that word and went on with shorter ones after it.
TITLE = (
    "Central Asian governments keep failing at taking the effective measures, agreements "
    "and action to share the water"
)


def full_slug(title):
    return importer.slugify(title)


def test_slug_is_a_prefix_of_the_title_words_in_order():
    slug = importer.unique_slug(TITLE)
    assert len(slug) <= importer.SLUG_MAX_LENGTH
    assert full_slug(TITLE).startswith(slug + "-")


def test_numbered_slug_keeps_order_and_length(tmp_path):
    for n in range(2):
        (tmp_path / f"{n}.txt").write_text(f"{TITLE}\n\nBody number {n} of the same headline, "
                                           f"long enough to be an article.\n")
    call_command("import_sources", str(tmp_path), "--no-progress", stdout=open("/dev/null", "w"))
    slugs = sorted(Source.objects.values_list("slug", flat=True))
    assert len(slugs) == 2
    for slug in slugs:
        assert len(slug) <= importer.SLUG_MAX_LENGTH
    numbered = [s for s in slugs if s.endswith("-2")][0]
    assert full_slug(TITLE).startswith(numbered.removesuffix("-2") + "-")


def test_existing_address_survives_reimport(client, tmp_path):
    """Slugs made before the fix are permanent addresses: a re-import leaves them alone."""
    page = tmp_path / "a.txt"
    page.write_text(f"{TITLE}\n\nThe body of the article, long enough to be read.\n")
    call_command("import_sources", str(tmp_path), "--no-progress", stdout=open("/dev/null", "w"))
    old_style = "central-asian-governments-keep-failing-at-taking-action-on-the-of-water"
    Source.objects.update(slug=old_style)
    call_command("import_sources", str(tmp_path), "--no-progress", stdout=open("/dev/null", "w"))
    assert Source.objects.get().slug == old_style
    assert client.get(f"/sources/{old_style}/").status_code == 200
