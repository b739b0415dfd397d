"""The admin's upload page: curators send files or zips of them, and the same importer as
`import_sources` runs on them in the background (sources.import_jobs); the job page shows
its progress and, at the end, its summary."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, TooManyFilesSent
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import import_jobs, uploads
from .importer import IMPORTABLE_SUFFIXES
from .models import ImportJob


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): each is cleaned alone."""

    def __init__(self, **kwargs):
        accepted = ",".join(sorted({*IMPORTABLE_SUFFIXES, ".zip"}))
        attrs = {"multiple": True, "accept": accepted, "aria-describedby": "import-limits"}
        super().__init__(widget=MultipleFileInput(attrs=attrs), **kwargs)

    def clean(self, data, initial=None):
        chosen = data if isinstance(data, (list, tuple)) and data else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in chosen]


class UploadForm(forms.Form):
    files = MultipleFileField(label="Files or zip archives")


def limits():
    return {
        "max_upload": uploads.megabytes(settings.ARCHIVE_MAX_UPLOAD_BYTES),
        "max_file": uploads.megabytes(settings.ARCHIVE_MAX_FILE_BYTES),
        "max_unpacked": uploads.megabytes(settings.ARCHIVE_MAX_UNPACKED_BYTES),
        "max_files": f"{settings.ARCHIVE_MAX_UPLOAD_FILES:,}",
        "max_chosen": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        "suffixes": ", ".join(sorted(IMPORTABLE_SUFFIXES)),
    }


def _check_permission(request):
    if not request.user.has_perm("sources.add_source"):
        raise PermissionDenied


@csrf_exempt  # checked below, once the size is known to be acceptable
def upload_view(request, model_admin):
    """The size is checked before the body is read: the CSRF check would otherwise read (and
    store on disk) all of an oversized upload first."""
    _check_permission(request)
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > settings.ARCHIVE_MAX_UPLOAD_BYTES:
        error = f"The upload is larger than {limits()['max_upload']}: send fewer files at a time."
        return _render_form(request, model_admin, UploadForm(), error, status=413)
    try:
        return _checked_upload_view(request, model_admin)
    except TooManyFilesSent:
        error = f"More than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files chosen at once: send them in a zip."
        return _render_form(request, model_admin, UploadForm(), error, status=400)


@csrf_protect
def _checked_upload_view(request, model_admin):
    if request.method != "POST":
        return _render_form(request, model_admin, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_form(request, model_admin, form, status=400)
    chosen = form.cleaned_data["files"]
    upload_limits = uploads.Limits(settings.ARCHIVE_MAX_UPLOAD_FILES, settings.ARCHIVE_MAX_UNPACKED_BYTES)
    try:
        folder = uploads.store_upload(chosen, settings.DATA_DIR / "uploads", upload_limits, IMPORTABLE_SUFFIXES)
    except uploads.UploadRefused as refused:
        return _render_form(request, model_admin, form, f"Nothing was imported: {refused.reason}.", status=400)
    names = ", ".join(upload.name for upload in chosen)
    job = ImportJob.objects.create(uploaded=names[:1000], folder=str(folder), created_by=request.user)
    import_jobs.start(job)
    return redirect("admin:sources_source_import_job", job.pk)


def _render_form(request, model_admin, form, error=None, status=200):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import files",
        "opts": model_admin.model._meta,
        "form": form,
        "error": error,
        "limits": limits(),
        "recent_jobs": ImportJob.objects.select_related("created_by")[:10],
    }
    return render(request, "admin/sources/source/import.html", context, status=status)


def job_view(request, model_admin, job_id):
    _check_permission(request)
    job = import_jobs.notice_if_gone(get_object_or_404(ImportJob, pk=job_id))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Import {job.pk}",
        "opts": model_admin.model._meta,
        "job": job,
        "counts": [(status, job.counts.get(status, 0)) for status in
                   ("created", "updated", "unchanged", "failed", "skipped")],
    }
    return render(request, "admin/sources/source/import_job.html", context)
