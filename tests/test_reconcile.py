"""reconcile_index: finds what the index and the database disagree on, and repairs it."""

import datetime
import io

import pytest
from haystack import connections
from django.core.management import call_command

from sources.management.commands.reconcile_index import normalise
from sources.models import Organisation, Source

from .serving import backend, clear_index, index_pks, make_source, manage, signals_off

pytestmark = pytest.mark.django_db(transaction=True)


def reconcile(*args):
    out = io.StringIO()
    try:
        call_command("reconcile_index", *args, stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue()


def counts(report, title=None):
    """{kind: number} from the first report block (or the block after `title`)."""
    if title:
        report = report.split(title, 1)[1]
    found = {}
    for line in report.splitlines():
        line = line.strip()
        for kind in ("missing", "stale", "extra"):
            if line.startswith(kind) and ":" in line and kind not in found:
                value = line.split(":", 1)[1].strip()
                if value.isdigit():
                    found[kind] = int(value)
    return found


@pytest.fixture
def corpus():
    clear_index()
    sources = [
        make_source(f"Reconcile article {i}", countries=["Kyrgyzstan"], organisations=["OSCE"],
                    date=datetime.date(2015, 1, 1 + i))
        for i in range(6)
    ]
    assert index_pks() == {s.pk for s in sources}
    return sources


def test_consistent_index_reports_zero_and_exits_0(corpus):
    status, out = reconcile()
    assert status == 0, out
    assert counts(out) == {"missing": 0, "stale": 0, "extra": 0}
    assert "published Sources in the database: 6" in out
    assert "Consistent" in out


def test_finds_and_repairs_missing_stale_and_extra(corpus):
    gone, edited, unpublished, deleted = corpus[0], corpus[1], corpus[2], corpus[3]
    # Indexed with no organisation, so only its text goes stale below.
    rewritten = make_source("Reconcile article with a rewritten body", countries=["Kyrgyzstan"], organisations=[])

    # 1. A document deleted from the index behind Django's back.
    backend().remove(gone)
    # 2. Database changes the index does not hear about (signals off).
    with signals_off():
        edited.title = "A corrected title"
        edited.save()
        rewritten.text += "\n\nA paragraph added behind the index's back."
        rewritten.save()
        Source.objects.filter(pk=unpublished.pk).update(is_published=False)
        deleted_pk = deleted.pk
        deleted.delete()
        Organisation.objects.filter(name="OSCE").update(
            name="Organization for Security and Co-operation in Europe"
        )
    # 3. A stray document: an unpublished Source forced into the index.
    stray = make_source("Never to be public", published=False)
    backend().update(connections["default"].get_unified_index().get_index(Source), [stray])
    assert stray.pk in index_pks()

    status, out = reconcile()
    assert status == 1, out
    found = counts(out)
    assert found["missing"] == 1  # gone
    # corpus[1] (title and organisation), [4] and [5] (organisation renamed), and the
    # rewritten body (only its stored digest tells)
    assert found["stale"] == 4
    assert found["extra"] == 3  # unpublished, deleted, stray
    assert "Inconsistent" in out and "--repair" in out
    # Reporting changes nothing.
    assert index_pks() == {s.pk for s in corpus[1:3] + corpus[4:]} | {deleted_pk, stray.pk, rewritten.pk}

    status, out = reconcile("--repair")
    assert status == 0, out
    assert counts(out, "After repair:") == {"missing": 0, "stale": 0, "extra": 0}
    expected = set(Source.objects.published().values_list("pk", flat=True))
    assert index_pks() == expected
    assert gone.pk in expected and unpublished.pk not in expected
    assert deleted_pk not in index_pks() and stray.pk not in index_pks()

    # The repaired documents carry today's values.
    from haystack.query import SearchQuerySet

    result = SearchQuerySet().models(Source).filter(title="corrected")[0]
    assert int(result.pk) == edited.pk
    orgs = {
        tuple(normalise(r.organisation, multivalued=True))
        for r in SearchQuerySet().models(Source).all()[0:50]
        if int(r.pk) != rewritten.pk
    }
    assert orgs == {("Organization for Security and Co-operation in Europe",)}

    status, out = reconcile()
    assert status == 0 and counts(out) == {"missing": 0, "stale": 0, "extra": 0}


def test_repair_in_small_batches(corpus):
    clear_index()
    status, out = reconcile("--repair", "--batch-size", "2")
    assert status == 0, out
    assert counts(out)["missing"] == 6
    assert "6 indexed" in out
    assert index_pks() == {s.pk for s in corpus}


def test_command_line_exit_status(corpus):
    backend().remove(corpus[0])
    proc = manage("reconcile_index", check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    proc = manage("reconcile_index", "--repair", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = manage("reconcile_index", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_repair_rebuilds_an_index_left_by_an_older_schema(corpus):
    import copy
    import os
    import shutil

    from whoosh import index as whoosh_index

    # An index as an earlier release wrote it: one field fewer than the code defines.
    current = backend()
    old_schema = copy.deepcopy(current.schema)
    old_schema.remove("text_digest")
    shutil.rmtree(current.path)
    os.makedirs(current.path)
    whoosh_index.create_in(current.path, old_schema)
    connections["default"].reset_sessions()
    connections.reload("default")

    status, out = reconcile("--repair")
    assert status == 0, out
    assert "older schema: rebuilding" in out
    assert index_pks() == set(Source.objects.published().values_list("pk", flat=True))
    assert "text_digest" in whoosh_index.open_dir(current.path).schema.names()
