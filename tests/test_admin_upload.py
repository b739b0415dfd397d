"""Importing from the browser: real files through the real admin view; the job runs the
import_sources command in its own process, on the test database, to its summary."""

import io
import os
import subprocess
import sys
import time
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sources import uploads
from sources.importer import IMPORTABLE_SUFFIXES
from sources.models import ImportJob, Source

from .serving import child_env, index_pks

UPLOAD = "admin:sources_source_import"
ARTICLE = "Uzbek court jails blogger\n\nTASHKENT — A court in Tashkent jailed a blogger for {} years, his lawyer said.\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def upload_file(name, content):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


def zip_of(members, symlinks=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, target)
    return buffer.getvalue()


def uploads_left():
    folder = settings.DATA_DIR / "uploads"
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".log")) if folder.exists() else []


@pytest.fixture
def jobs_on_test_database(fresh_index, monkeypatch):
    """The job process inherits the web process's environment: here, the test database's,
    and an index of this test's own (the shared one must not keep what the jobs add)."""
    for key, value in child_env().items():
        monkeypatch.setenv(key, value)


def wait_for(job_pk, limit=120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_pk)
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"import job {job_pk} still {job.status} after {limit} s")


def refusal(client, *files, status=400):
    """The upload page's answer to files it must refuse; nothing may be left behind."""
    response = client.post(reverse(UPLOAD), {"files": list(files)})
    assert response.status_code == status
    assert not ImportJob.objects.exists() and uploads_left() == []
    return response.content.decode()


def upload_and_wait(client, *files):
    response = client.post(reverse(UPLOAD), {"files": list(files)})
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("admin:sources_source_import_job", args=[job.pk])
    return wait_for(job.pk), client.get(response["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_text_file_is_imported_indexed_and_summarised(admin_client, jobs_on_test_database):
    job, page = upload_and_wait(admin_client, upload_file("blogger.txt", ARTICLE.format(7)))
    assert job.status == "done", job.error
    assert job.counts["created"] == 1 and job.files_done == job.files_total == 1
    source = Source.objects.get(source_file="blogger.txt")
    assert source.title == "Uzbek court jails blogger"
    assert source.pk in index_pks()
    assert '<th scope="row">Created</th><td>1</td>' in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    assert uploads_left() == []  # the uploaded copies are removed; the Source keeps the raw text


@pytest.mark.django_db(transaction=True)
def test_a_zip_of_two_then_the_same_zip_again(admin_client, jobs_on_test_database):
    batch = zip_of({"batch/one.txt": ARTICLE.format(3), "batch/two.html":
                    "<html><head><title>Kazakh editor fined</title></head><body><h1>Kazakh editor fined</h1>"
                    "<p>ALMATY — A court fined the editor of a weekly on Monday.</p></body></html>"})
    job, page = upload_and_wait(admin_client, upload_file("batch.zip", batch))
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0, "skipped": 0}, job.problems
    assert set(Source.objects.values_list("source_file", flat=True)) == {"batch/one.txt", "batch/two.html"}
    # The same importer, so the same identity: nothing is duplicated.
    job, page = upload_and_wait(admin_client, upload_file("batch.zip", batch))
    assert job.counts["unchanged"] == 2 and Source.objects.count() == 2
    assert '<th scope="row">Unchanged</th><td>2</td>' in page


@pytest.mark.django_db(transaction=True)
def test_files_the_importer_refuses_are_listed_with_reasons(admin_client, jobs_on_test_database, monkeypatch):
    monkeypatch.setenv("ARCHIVE_MAX_FILE_BYTES", "2000")  # the job's limit, as for the command
    job, page = upload_and_wait(
        admin_client,
        upload_file("good.txt", ARTICLE.format(5)),
        upload_file("picture.txt", PNG),
        upload_file("huge.txt", "Long article\n\n" + "word " * 1000),
    )
    assert job.status == "done"
    assert (job.counts["created"], job.counts["failed"]) == (1, 2)
    reasons = {problem["path"]: problem["reason"] for problem in job.problems}
    assert set(reasons) == {"picture.txt", "huge.txt"}  # paths within the upload, not on the server
    assert "PNG" in reasons["picture.txt"]
    assert "over the 0.0 MB limit" in reasons["huge.txt"]  # 2,000 bytes, in the reader's words
    assert "picture.txt" in page and "PNG" in page


@pytest.mark.django_db
@pytest.mark.parametrize("members, symlinks, reason", [
    ({"../x.txt": ARTICLE.format(1)}, (), "a path that leaves the archive"),
    ({"/etc/x.txt": ARTICLE.format(1)}, (), "an absolute path"),
    ({"ok.txt": ARTICLE.format(1)}, [("key.txt", "/etc/passwd")], "a symbolic link"),
])
def test_unsafe_zips_are_refused_before_anything_is_written(admin_client, members, symlinks, reason):
    page = refusal(admin_client, upload_file("bad.zip", zip_of(members, symlinks)))
    assert reason in page and "Nothing was imported" in page
    assert not (settings.DATA_DIR / "x.txt").exists()


@pytest.mark.django_db
def test_a_corrupt_zip_gets_a_clear_message(admin_client):
    good = zip_of({"a.txt": ARTICLE.format(1)})
    for broken in (b"PK\x03\x04 this is not really a zip", good[: len(good) // 2]):
        page = refusal(admin_client, upload_file("broken.zip", broken))
        assert "broken.zip is not a readable zip archive (corrupt or truncated" in page


@pytest.mark.django_db
def test_zip_bombs_stop_at_the_limits(admin_client, settings):
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = zip_of({"zeros.txt": bytes(20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    assert "unpacks to more than 1 MB" in refusal(admin_client, upload_file("bomb.zip", bomb))

    settings.ARCHIVE_MAX_UPLOAD_FILES = 3
    many = zip_of({f"{n}.txt": ARTICLE.format(n) for n in range(5)})
    assert "more than 3 files" in refusal(admin_client, upload_file("many.zip", many))


def test_bytes_are_counted_as_written_whatever_a_header_says(tmp_path):
    limits = uploads.Limits(max_files=10, max_unpacked_bytes=1000)
    with pytest.raises(uploads.UploadRefused, match="unpacks to more than 1,000 bytes"):
        uploads.store_upload([upload_file("a.txt", "x" * 600), upload_file("b.txt", "y" * 600)],
                             tmp_path, limits, {".txt"})
    assert list(tmp_path.iterdir()) == []  # the half-written folder is gone


@pytest.mark.django_db
def test_too_large_an_upload_is_refused_unread_and_the_limit_is_told(admin_client, settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 4000
    page = admin_client.get(reverse(UPLOAD)).content.decode()
    assert "Limits: 4,000 bytes per upload" in page
    page = refusal(admin_client, upload_file("big.txt", "x" * 5000), status=413)
    assert "The upload is larger than 4,000 bytes" in page


@pytest.mark.django_db
def test_only_staff_who_may_add_sources_can_upload_with_a_csrf_token(client, admin_user):
    url = reverse(UPLOAD)
    assert client.get(url).status_code == 302  # to the login page
    clerk = User.objects.create_user("clerk", password="x-long-password-1", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    assert client.post(url, {"files": [upload_file("a.txt", ARTICLE.format(1))]}).status_code == 403

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    response = strict.post(url, {"files": [upload_file("a.txt", ARTICLE.format(1))]})
    assert response.status_code == 403 and not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_sources_list_links_to_the_upload_page(admin_client):
    page = admin_client.get(reverse("admin:sources_source_changelist")).content.decode()
    assert f'href="{reverse(UPLOAD)}"' in page
    assert os.fspath(reverse(UPLOAD)).endswith("/admin/sources/source/import/")


def test_a_web_archive_with_a_two_part_suffix_is_taken(tmp_path):
    """".warc.gz" ends in ".gz": the suffix check must read both parts."""
    limits = uploads.Limits(max_files=10, max_unpacked_bytes=1000)
    folder = uploads.store_upload([upload_file("capture.warc.gz", "x" * 10)], tmp_path, limits, IMPORTABLE_SUFFIXES)
    assert [p.name for p in folder.iterdir()] == ["capture.warc.gz"]
    with pytest.raises(uploads.UploadRefused, match="notes.gz is not a kind of file"):
        uploads.store_upload([upload_file("notes.gz", "x")], tmp_path, limits, IMPORTABLE_SUFFIXES)


@pytest.mark.django_db
def test_a_file_the_importer_would_pass_over_is_refused(admin_client):
    page = refusal(admin_client, upload_file("notes.docx", PNG))
    assert "notes.docx is not a kind of file the importer reads (.htm, .html, .text, .txt, .wacz, .warc, .warc.gz, .xhtml, .zip)" in page


@pytest.mark.django_db
def test_a_job_whose_process_died_is_marked_stopped(admin_client, tmp_path):
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    job = ImportJob.objects.create(uploaded="a.zip", folder=str(tmp_path / "upload"), status="importing",
                                   files_total=10, files_done=3, pid=ended.pid)
    page = admin_client.get(reverse("admin:sources_source_import_job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "ended before finishing" in job.error
    assert "The import stopped" in page and 'http-equiv="refresh"' not in page

    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        job = ImportJob.objects.create(uploaded="b.zip", folder=str(tmp_path / "b"), status="importing",
                                       files_total=10, files_done=3, pid=running.pid)
        page = admin_client.get(reverse("admin:sources_source_import_job", args=[job.pk])).content.decode()
        assert 'http-equiv="refresh"' in page and "3 of 10 files read" in page
        assert '<progress max="10" value="3"' in page
    finally:
        running.kill()
        running.wait()


@pytest.mark.django_db
def test_too_many_files_chosen_at_once_are_sent_to_a_zip(admin_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    chosen = [upload_file(f"{n}.txt", ARTICLE.format(n)) for n in range(3)]
    assert "More than 2 files chosen at once: send them in a zip." in refusal(admin_client, *chosen)


@pytest.mark.django_db
def test_import_jobs_are_listed_in_the_admin_with_a_link_to_their_page(admin_client, admin_user):
    job = ImportJob.objects.create(uploaded="week.zip", folder="/nowhere", created_by=admin_user)
    page = admin_client.get(reverse("admin:sources_importjob_changelist")).content.decode()
    assert f'href="{reverse("admin:sources_source_import_job", args=[job.pk])}"' in page
    assert "week.zip" in page
    assert admin_client.get(reverse("admin:sources_importjob_add")).status_code == 403
