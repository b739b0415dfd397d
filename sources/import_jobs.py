"""Imports started from the admin run as `manage.py import_sources FOLDER --job ID` in a
process of their own: the request that uploaded the files returns at once, and the import
outlives it (and a gunicorn worker's timeout or restart). The command records its progress
and summary on the ImportJob through a JobRecorder; the job page reads them."""

import os
import shutil
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import importer
from .models import ImportJob

#: Seconds between progress writes (a write per file would cost more than small files do).
PROGRESS_EVERY = 0.5


def start(job: ImportJob) -> None:
    """Run the job's import once the transaction that created the job has committed."""
    transaction.on_commit(lambda: _launch(job))


def _launch(job):
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "import_sources", job.folder,
               "--job", str(job.pk), "--no-progress"]
    try:
        with open(f"{job.folder}.log", "ab") as log:
            process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,  # outlives the worker's group
            )
    except OSError as exc:
        JobRecorder(job.pk).stopped(exc)
        return
    ImportJob.objects.filter(pk=job.pk).update(pid=process.pid)
    # Waited for in a daemon thread so the finished process leaves no zombie in the worker.
    threading.Thread(target=process.wait, daemon=True).start()


def notice_if_gone(job: ImportJob) -> ImportJob:
    """A job whose process ended without finishing it (killed, out of memory, the machine
    restarted) is marked stopped, so that its page does not wait for ever."""
    if job.is_finished or job.pid is None or _process_exists(job.pid):
        return job
    job.refresh_from_db()  # it may have finished just now
    if not job.is_finished:
        JobRecorder(job.pk).stopped(ProcessLookupError("the import process ended before finishing; see its log"))
        job.refresh_from_db()
    return job


def _process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone's process: not ours to judge
    return True


class JobRecorder:
    """Writes an import's progress to its ImportJob (see import_sources --job)."""

    def __init__(self, job_id):
        self.job = ImportJob.objects.get(pk=job_id)
        self.last_write = 0.0

    def started(self, files_total):
        self._write(status=ImportJob.Status.IMPORTING, started=timezone.now(), files_total=files_total)

    def file_done(self):
        self.job.files_done += 1
        now = time.monotonic()
        if now - self.last_write >= PROGRESS_EVERY or self.job.files_done == self.job.files_total:
            self._write(files_done=self.job.files_done)

    def indexing(self):
        self._write(status=ImportJob.Status.INDEXING)

    def finished(self, summary: importer.ImportSummary):
        statuses = (importer.CREATED, importer.UPDATED, importer.UNCHANGED, importer.FAILED, importer.SKIPPED)
        problems = [
            {"path": self._shown_path(o.path), "status": o.status, "reason": o.reason}
            for o in summary.outcomes if o.status in {importer.FAILED, importer.SKIPPED}
        ]
        self._write(status=ImportJob.Status.DONE, finished=timezone.now(), problems=problems,
                    counts={status: summary.count(status) for status in statuses})
        self._remove_upload()

    def stopped(self, error):
        self._write(status=ImportJob.Status.FAILED, finished=timezone.now(), error=f"{type(error).__name__}: {error}")
        self._remove_upload()

    def _shown_path(self, path):
        """A file's path within the upload, not on the server's disk."""
        prefix = self.job.folder.rstrip("/") + "/"
        return path[len(prefix):] if path.startswith(prefix) else path

    def _remove_upload(self):
        # The Sources keep the raw text; the uploaded copies are not needed any more.
        shutil.rmtree(self.job.folder, ignore_errors=True)

    def _write(self, **values):
        for name, value in values.items():
            setattr(self.job, name, value)
        self.job.save(update_fields=[*values, "updated"])
        self.last_write = time.monotonic()


class NoJob:
    """Stands in for a JobRecorder when the command runs without --job."""

    def started(self, files_total): pass
    def file_done(self): pass
    def indexing(self): pass
    def finished(self, summary): pass
    def stopped(self, error): pass
