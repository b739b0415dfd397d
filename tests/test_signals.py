"""sources/signals.py: the index follows the database after commit, in batches."""

import pytest
from django.db import transaction
from haystack.query import SearchQuerySet

from sources.models import Country, MentionedYear, Organisation, OrganisationMention, Source
from sources.signals import deferred_indexing, reindex_sources
from tests.fixtures_search import make_tricky

pytestmark = pytest.mark.django_db


def indexed(**filters):
    sqs = SearchQuerySet().models(Source)
    for name, values in filters.items():
        sqs = sqs.filter(**{f"{name}__in": values})
    return {int(r.pk) for r in sqs[:1000]}


def facet(name):
    counts = SearchQuerySet().models(Source).facet(name)
    list(counts[:1])
    return dict((counts.facet_counts().get("fields") or {}).get(name, []))


@pytest.fixture
def writers(fresh_index, monkeypatch):
    """How many index writers were opened."""
    opened = []
    original = type(fresh_index)._acquire_writer

    def counting(self):
        opened.append(1)
        return original(self)

    monkeypatch.setattr(type(fresh_index), "_acquire_writer", counting)
    return opened


def test_nothing_is_indexed_before_commit_and_m2m_rows_are_there_after(
    fresh_index, django_capture_on_commit_callbacks
):
    # The RealtimeSignalProcessor trap: post_save fires before the mentions exist.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            source = make_tricky("hizb", slug="sig-hizb")
            assert indexed() == set()
    assert indexed(organisation=["Hizb ut-Tahrir"]) == {source.pk}
    assert indexed(country=["Kyrgyzstan"]) == {source.pk}
    assert indexed(mentioned_year=["2015"]) == {source.pk}


def test_one_transaction_is_one_writer(writers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for key in ("damascus", "iskp", "long"):
                make_tricky(key, slug=f"sig-{key}")
    assert len(indexed()) == 3
    assert len(writers) == 1


def test_rolled_back_changes_are_not_indexed(fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                make_tricky("damascus", slug="sig-rolled-back")
                raise RuntimeError
    assert indexed() == set()


def test_m2m_add_remove_and_mention_rows_reindex(fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        source = make_tricky("jordan_person", slug="sig-m2m")
    iraq = Country.objects.get(name="Iraq")
    jordan = Country.objects.filter(name="Jordan").first() or Country.objects.create(name="Jordan", code="JO")
    with django_capture_on_commit_callbacks(execute=True):
        source.countries.add(jordan)
    assert indexed(country=["Jordan"]) == {source.pk}
    with django_capture_on_commit_callbacks(execute=True):
        source.countries.remove(iraq)
    assert indexed(country=["Iraq"]) == set()
    with django_capture_on_commit_callbacks(execute=True):
        year = MentionedYear.objects.create(source=source, year=1991)
    assert indexed(mentioned_year=["1991"]) == {source.pk}
    with django_capture_on_commit_callbacks(execute=True):
        year.delete()
    assert indexed(mentioned_year=["1991"]) == set()
    org = Organisation.objects.create(name="Ansar al-Sharia, Libya")
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationMention.objects.create(source=source, organisation=org)
    assert indexed(organisation=["Ansar al-Sharia, Libya"]) == {source.pk}
    with django_capture_on_commit_callbacks(execute=True):
        source.organisations.clear()
    assert indexed(organisation=["Ansar al-Sharia, Libya"]) == set()


def test_unpublish_removes_and_republish_restores(fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        source = make_tricky("damascus", slug="sig-publish")
    assert indexed() == {source.pk}
    source.is_published = False
    with django_capture_on_commit_callbacks(execute=True):
        source.save()
    assert indexed() == set()
    assert "Islamic State" not in facet("organisation")
    source.is_published = True
    with django_capture_on_commit_callbacks(execute=True):
        source.save()
    assert indexed() == {source.pk}


def test_delete_removes(fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        source = make_tricky("damascus", slug="sig-delete")
    pk = source.pk
    with django_capture_on_commit_callbacks(execute=True):
        source.delete()
    assert pk not in indexed()


def test_organisation_rename_and_country_alias_edit_reindex_their_sources(
    fresh_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source = make_tricky("iskp", slug="sig-rename")
        other = make_tricky("hizb", slug="sig-rename-other")
    org = Organisation.objects.get(name="Islamic State, Khorasan Province")
    org.name = "ISKP (Islamic State Khorasan)"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org.save()
    assert callbacks
    assert source.pk in indexed(organisation=["ISKP (Islamic State Khorasan)"])
    assert indexed(organisation=["Islamic State, Khorasan Province"]) == set()
    country = Country.objects.get(name="Kyrgyzstan")
    country.aliases = "Kirghizia\nKyrgyz"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        country.save()
    assert len(callbacks) == 1 and other.pk in indexed(country=["Kyrgyzstan"])
    with django_capture_on_commit_callbacks(execute=True):
        org.delete()
    assert indexed(organisation=["ISKP (Islamic State Khorasan)"]) == set()
    assert source.pk in indexed(organisation=["Islamic State"])


def test_deferred_indexing_collects_and_indexes_once_on_exit(writers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with deferred_indexing() as touched:
            a = make_tricky("damascus", slug="sig-deferred-a")
            with transaction.atomic():
                b = make_tricky("iskp", slug="sig-deferred-b")
            with deferred_indexing():  # nested: collected by the outer one
                c = make_tricky("long", slug="sig-deferred-c")
            assert indexed() == set() and writers == []
            assert {a.pk, b.pk, c.pk} <= touched
    assert indexed() == {a.pk, b.pk, c.pk}
    assert len(writers) == 1


def test_reindex_sources_indexes_published_and_removes_the_rest(fresh_index):
    from sources.signals import touch  # noqa: F401  (public helper exists)

    a = make_tricky("damascus", slug="sig-reindex-a")
    b = make_tricky("unpublished", slug="sig-reindex-b")
    reindex_sources([a.pk, b.pk, 999999])
    assert indexed() == {a.pk}
