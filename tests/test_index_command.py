"""manage.py index: check finds what the index and the database disagree on, repair fixes
it, catch-up fixes what pk sets and marks show, build indexes everything again."""

import copy
import datetime
import io
import os
import shutil

import pytest
from haystack import connections
from django.core.management import call_command
from whoosh import index as whoosh_index

from sources.index_sync import normalise
from sources.models import Organisation, Source

from .factories import make_source
from .serving import backend, clear_index, index_pks, manage, script, signals_off

pytestmark = pytest.mark.django_db(transaction=True)


def index(*args):
    out = io.StringIO()
    try:
        call_command("index", *args, stdout=out, stderr=io.StringIO())
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
                    published=datetime.date(2015, 1, 1 + i))
        for i in range(6)
    ]
    assert index_pks() == {s.pk for s in sources}
    return sources


def test_consistent_index_reports_zero_and_exits_0(corpus):
    status, out = index("check")
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
    stray = make_source("Never to be public", is_published=False)
    backend().update(connections["default"].get_unified_index().get_index(Source), [stray])
    assert stray.pk in index_pks()

    status, out = index("check")
    assert status == 1, out
    found = counts(out)
    assert found["missing"] == 1  # gone
    # corpus[1] (title and organisation), [4] and [5] (organisation renamed), and the
    # rewritten body (only its stored digest tells)
    assert found["stale"] == 4
    assert found["extra"] == 3  # unpublished, deleted, stray
    assert "Inconsistent" in out and "index repair" in out
    # Reporting changes nothing.
    assert index_pks() == {s.pk for s in corpus[1:3] + corpus[4:]} | {deleted_pk, stray.pk, rewritten.pk}

    status, out = index("repair")
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

    status, out = index("check")
    assert status == 0 and counts(out) == {"missing": 0, "stale": 0, "extra": 0}


def test_repair_fills_an_empty_index(corpus):
    clear_index()
    status, out = index("repair")
    assert status == 0, out
    assert counts(out)["missing"] == 6
    assert "Repaired: 6 Sources" in out
    assert index_pks() == {s.pk for s in corpus}


def test_command_line_exit_status(corpus):
    backend().remove(corpus[0])
    proc = manage("index", "check", check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    proc = manage("index", "repair", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = manage("index", "check", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def install_older_schema():
    """An index as an earlier release wrote it: one field fewer than the code defines."""
    current = backend()
    old_schema = copy.deepcopy(current.schema)
    old_schema.remove("text_digest")
    shutil.rmtree(current.path)
    os.makedirs(current.path)
    whoosh_index.create_in(current.path, old_schema)
    connections["default"].reset_sessions()
    connections.reload("default")
    return current


@pytest.mark.archive_engine  # the schema check is the extension's (schema_matches)
def test_repair_rebuilds_an_index_left_by_an_older_schema(corpus):
    current = install_older_schema()
    status, out = index("repair")
    assert status == 0, out
    assert "older schema: rebuilding" in out
    assert index_pks() == set(Source.objects.published().values_list("pk", flat=True))
    assert "text_digest" in whoosh_index.open_dir(current.path).schema.names()


DIE_AFTER_COMMIT = """
from django.db import transaction
from sources.models import Source
with transaction.atomic():
    # The first commit callback: the process dies after the commit, before the index
    # write the signals queued (as an import or a worker killed at that instant).
    transaction.on_commit(lambda: os._exit(9))
{change}
"""


def die_after_commit(*lines):
    """Run these lines in a process that is killed right after they commit."""
    change = "\n".join("    " + line for line in lines)
    proc = script(DIE_AFTER_COMMIT.format(change=change))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 9, err


def test_catch_up_indexes_what_a_killed_process_committed_and_nothing_else(corpus):
    edited, deleted, unpublished, untouched = corpus[0], corpus[1], corpus[2], corpus[3]
    die_after_commit(
        f"s = Source.objects.get(pk={edited.pk}); s.title = 'Edited before the crash'; s.save()",
        f"Source.objects.get(pk={deleted.pk}).delete()",
        f"Source.objects.filter(pk={unpublished.pk}).update(is_published=False)",
    )
    # An edit the signals never heard of: only check and repair compare fields.
    with signals_off():
        Source.objects.filter(pk=untouched.pk).update(title="Edited behind the signals")
    status, out = index("check")
    assert status == 1 and counts(out) == {"missing": 0, "stale": 2, "extra": 2}, out
    assert deleted.pk in index_pks() and unpublished.pk in index_pks()

    status, out = index("catch-up", "--no-progress")
    assert status == 0, out
    assert "0 missing, 3 marked as changed, 2 extra; 3 Sources indexed or removed" in out
    assert index_pks() == {s.pk for s in corpus} - {deleted.pk, unpublished.pk}
    status, out = index("check")
    assert status == 1 and counts(out) == {"missing": 0, "stale": 1, "extra": 0}, out
    assert f"stale: #{untouched.pk}" in out

    assert index("repair")[0] == 0
    assert index("catch-up")[1].startswith("Caught up: 0 missing, 0 marked as changed, 0 extra")


def test_catch_up_indexes_missing_and_drops_extra_documents(corpus):
    backend().remove(corpus[0])
    stray = make_source("Stray, never published", is_published=False)
    backend().update(connections["default"].get_unified_index().get_index(Source), [stray])
    status, out = index("catch-up")
    assert status == 0 and "1 missing, 0 marked as changed, 1 extra" in out, out
    assert index_pks() == {s.pk for s in corpus}


def test_build_indexes_everything_again_and_clears_marks(corpus):
    from sources.models import IndexMark

    clear_index()
    die_after_commit(f"s = Source.objects.get(pk={corpus[0].pk}); s.title = 'Retitled'; s.save()")
    assert IndexMark.objects.count() == 1
    status, out = index("build", "--workers", "2", "--no-progress")
    assert status == 0, out
    assert "Index built: 6 documents" in out
    assert index_pks() == {s.pk for s in corpus}
    assert IndexMark.objects.count() == 0
    assert index("check")[0] == 0


def test_haystack_commands_say_which_mode_to_run(corpus):
    backend().remove(corpus[0])
    for command, mode in (("rebuild_index", "build"), ("update_index", "catch-up")):
        proc = manage(command, "--noinput" if command == "rebuild_index" else "--verbosity=1", check=False)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert f"python manage.py index {mode}" in proc.stderr
    assert corpus[0].pk not in index_pks()  # neither touched the index


def test_a_mode_is_required_and_an_unknown_connection_refused(corpus):
    proc = manage("index", check=False)
    assert proc.returncode == 2 and "required: MODE" in proc.stderr
    proc = manage("index", "check", "--using", "elsewhere", check=False)
    assert proc.returncode == 1 and "No haystack connection 'elsewhere'" in proc.stderr


@pytest.mark.archive_engine  # the schema check is the extension's (schema_matches)
def test_catch_up_builds_an_index_left_by_an_older_schema(corpus):
    current = install_older_schema()
    status, out = index("catch-up")
    assert status == 0 and "older schema: built again" in out, out
    assert index_pks() == {s.pk for s in corpus}
    assert "text_digest" in whoosh_index.open_dir(current.path).schema.names()
