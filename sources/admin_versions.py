"""The curator's say on versions: split a version out of its group, join groups.

Both go through sources.versions, which marks the memberships as curated: re-import and
re-detection leave them as the curator set them."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from . import versions
from .models import VersionMembership


@admin.action(description="Split selected out of their version groups (each stands alone)")
def split_versions(modeladmin, request, queryset):
    pks = set(queryset.values_list("pk", flat=True))
    grouped = set(VersionMembership.objects.filter(source_id__in=pks).values_list("source_id", flat=True))
    versions.split(pks)
    modeladmin.message_user(
        request,
        f"{len(grouped)} Source(s) split out of their version groups; "
        f"{len(pks - grouped)} were in none and now stand alone. Re-imports keep this.",
        messages.SUCCESS,
    )


@admin.action(description="Join selected (and their groups) into one version group")
def join_versions(modeladmin, request, queryset):
    pks = set(queryset.values_list("pk", flat=True))
    if len(pks) < 2:
        modeladmin.message_user(request, "Select two Sources or more to join.", messages.ERROR)
        return
    versions.join(pks)
    modeladmin.message_user(request, f"{len(pks)} Source(s) joined as versions of one article.", messages.SUCCESS)


def version_group_members(source):
    """The change page's list of the Source's versions (published or not)."""
    membership = VersionMembership.objects.filter(source=source).first()
    if membership is None:
        return "In no version group."
    mates = VersionMembership.objects.filter(group=membership.group_id).select_related("source").order_by("source_id")
    rows = format_html_join(
        "",
        '<li><a href="{}">{}</a> · {} · {}{}{}</li>',
        (
            (
                reverse("admin:sources_source_change", args=[m.source_id]),
                m.source.title,
                m.source.outlet or "no outlet",
                m.source.published or "undated",
                " · leads" if m.leads else "",
                " · placed by a curator" if m.curated else "",
            )
            for m in mates
        ),
    )
    return format_html("<ul>{}</ul>", rows)
