"""Which files an import reads and how it knows them again (issue 12 items 1 and 2):
two files with one name are two files; symbolic links and special files are refused with
their real reason and never block."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sources.models import Source

from .serving import ROOT, manage
from .test_import_command import run_import

pytestmark = pytest.mark.django_db

BODY = (
    "\n\nALMATY (TCA) — A court in Almaty on Tuesday sentenced two leaders of a banned cell "
    "to nine years in prison, prosecutors said.\n\nThe group had distributed leaflets in {n}.\n"
)


def article(title, n=2015):
    return title + BODY.format(n=n)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_two_files_with_one_name_are_two_sources(tmp_path):
    write(tmp_path / "a" / "article.txt", article("Alpha court jails leaders"))
    write(tmp_path / "b" / "article.txt", article("Beta court jails leaders"))
    out, status = run_import(tmp_path)
    assert status == 0, out
    assert "2 created, 0 updated" in out
    files = dict(Source.objects.values_list("source_file", "title"))
    assert files == {"a/article.txt": "Alpha court jails leaders", "b/article.txt": "Beta court jails leaders"}
    out, _ = run_import(tmp_path)
    assert "0 created, 0 updated, 2 unchanged" in out


def test_an_edited_file_updates_only_its_own_source(tmp_path):
    write(tmp_path / "a" / "article.txt", article("Alpha court jails leaders"))
    write(tmp_path / "b" / "article.txt", article("Beta court jails leaders"))
    run_import(tmp_path)
    write(tmp_path / "b" / "article.txt", article("Beta court jails leaders", n=2016))
    out, _ = run_import(tmp_path)
    assert "0 created, 1 updated, 1 unchanged" in out
    assert "2015" in Source.objects.get(source_file="a/article.txt").text
    assert "2016" in Source.objects.get(source_file="b/article.txt").text


def test_a_file_given_directly_is_known_by_its_name(tmp_path):
    path = write(tmp_path / "deep" / "story.txt", article("Gamma court jails leaders"))
    run_import(path)
    assert Source.objects.get().source_file == "story.txt"


def test_the_same_relative_path_in_two_folders_given_together_is_refused(tmp_path):
    write(tmp_path / "one" / "article.txt", article("Alpha court jails leaders"))
    write(tmp_path / "two" / "article.txt", article("Beta court jails leaders"))
    out, status = run_import(tmp_path / "one", tmp_path / "two")
    assert status == 1
    assert "1 created" in out and "1 failed" in out
    assert f"failed: {tmp_path / 'two' / 'article.txt'}: same name (article.txt)" in out
    assert Source.objects.get().title == "Alpha court jails leaders"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_sources_stored_under_the_file_name_are_taken_over_once(tmp_path):
    """An archive imported before files were known by path: the migration marks its
    Sources, the next import takes each over (no duplicate, nothing lost), and a second
    file of the same name is then a new Source, not an update of the first."""
    before = [("sources", "0003_source_outlet_index")]
    old_source = _migrate(before).get_model("sources", "Source")
    old_source.objects.create(
        title="Alpha court jails leaders", slug="alpha", text="Alpha.", raw_text="Alpha.",
        source_file="article.txt", position=0, fingerprint="stored-before-the-edit",
    )
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert Source.objects.get().source_file_is_base_name

    write(tmp_path / "a" / "article.txt", article("Alpha court jails leaders", n=2016))
    write(tmp_path / "b" / "article.txt", article("Beta court jails leaders"))
    out, status = run_import(tmp_path)
    assert status == 0, out
    assert "1 created, 1 updated" in out
    alpha, beta = Source.objects.order_by("pk")
    assert (alpha.slug, alpha.source_file, alpha.source_file_is_base_name) == ("alpha", "a/article.txt", False)
    assert "2016" in alpha.text
    assert (beta.title, beta.source_file) == ("Beta court jails leaders", "b/article.txt")
    out, _ = run_import(tmp_path)
    assert "0 created, 0 updated, 2 unchanged" in out


# --- symbolic links and special files ---------------------------------------------------


@pytest.fixture
def hostile_folder(tmp_path):
    folder = tmp_path / "import"
    write(folder / "real.txt", article("Delta court jails leaders"))
    secret = write(tmp_path / "secret_key", "django-insecure-SECRET-KEY-do-not-publish\n\n" + "x " * 40)
    (folder / "key.txt").symlink_to(secret)
    (folder / "linked-folder").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    write(tmp_path / "elsewhere" / "other.txt", article("Epsilon court jails leaders"))
    (folder / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    return folder


@pytest.mark.django_db(transaction=True)
def test_links_are_skipped_and_a_fifo_refused_without_blocking(hostile_folder):
    # A FIFO opened for reading waits for a writer: the timeout is what would fail here.
    proc = manage("import_sources", "--no-progress", "--jobs", "0", str(hostile_folder), timeout=120, check=False)
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr  # the FIFO is a failure
    assert "1 created, 0 updated, 0 unchanged, 1 failed, 4 skipped" in out
    assert f"failed: {hostile_folder / 'pipe.txt'}: not a regular file" in out
    for name in ("key.txt", "linked-folder", "dangling.txt", "loop.txt"):
        assert f"skipped: {hostile_folder / name}: symbolic link" in out
    assert "no such file" not in out
    assert list(Source.objects.values_list("title", flat=True)) == ["Delta court jails leaders"]


@pytest.mark.django_db(transaction=True)
def test_links_and_special_files_given_directly_are_refused(hostile_folder):
    paths = [hostile_folder / name for name in ("key.txt", "dangling.txt", "loop.txt", "pipe.txt")]
    proc = manage("import_sources", "--no-progress", *map(str, paths), timeout=120, check=False)
    out = proc.stdout
    assert proc.returncode == 1
    assert "0 created, 0 updated, 0 unchanged, 4 failed, 0 skipped" in out
    for path in paths[:3]:
        assert f"failed: {path}: symbolic link" in out
    assert f"failed: {paths[3]}: not a regular file" in out
    assert "no such file" not in out
    assert not Source.objects.exists()


def test_reading_a_fifo_or_a_link_is_refused_not_blocked(hostile_folder):
    """The reader checks again what it opens: a FIFO put in a file's place after the
    folder was listed must not block either (run apart, with a timeout, in case it does)."""
    code = (
        "import sys\n"
        "from sources.ingest.read import ReadError, read_file\n"
        "try:\n    read_file(sys.argv[1], max_bytes=10_000)\n"
        "except ReadError as exc:\n    print(exc.reason)\n"
    )
    for name, reason in (("pipe.txt", "not a regular file"), ("key.txt", "symbolic link"),
                         ("loop.txt", "symbolic link"), ("dangling.txt", "symbolic link")):
        proc = subprocess.run([sys.executable, "-c", code, str(hostile_folder / name)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.stdout.strip() == reason, proc.stderr
