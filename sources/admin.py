from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.views.decorators.csrf import csrf_exempt

from . import admin_import, admin_versions, curation, outlets
from .admin_filters import CountryFilter, DerivedTitleFilter, MentionedYearFilter, OrganisationFilter
from .formatting import date_with_precision
from .models import (
    Country, CountryMention, ImportJob, Organisation, OrganisationMention, Outlet, Person, PersonMention, Source,
)
from .signals import deferred_indexing

LISTED_TITLE_LENGTH = 90
# The Source field a curator owns once they edit an inline of mention rows.
CURATED_BY_INLINE = {CountryMention: "countries", OrganisationMention: "organisations", PersonMention: "people"}


def mention_count(model):
    """How many rows of a mention table a Source has, as one subquery (no join that
    would multiply rows with the other table's)."""
    rows = model.objects.filter(source=OuterRef("pk")).order_by().values("source")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


class CountryMentionInline(admin.TabularInline):
    model = CountryMention
    autocomplete_fields = ["country"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class OrganisationMentionInline(admin.TabularInline):
    model = OrganisationMention
    autocomplete_fields = ["organisation"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class PersonMentionInline(admin.TabularInline):
    model = PersonMention
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class PublicationYearFilter(admin.SimpleListFilter):
    title = "publication year"
    parameter_name = "published_year"

    def lookups(self, request, model_admin):
        years = Source.objects.filter(published__isnull=False).dates("published", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years] + [("unknown", "Undated")]

    def queryset(self, request, queryset):
        if self.value() == "unknown":
            return queryset.filter(published__isnull=True)
        if self.value():
            return queryset.filter(published__year=self.value())
        return queryset


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["listed_title", "outlet", "publication_date", "is_published",
                    "country_count", "organisation_count"]
    list_filter = [
        "is_published",
        DerivedTitleFilter,
        "date_precision",
        PublicationYearFilter,
        CountryFilter,
        OrganisationFilter,
        MentionedYearFilter,
        "outlet",
    ]
    search_fields = ["title", "outlet", "author", "text"]
    readonly_fields = ["slug", "text_beside_raw", "removed_lines_table", "references_list",
                       "provenance", "captured_at", "curated_fields", "created", "updated", "versions"]
    fieldsets = [
        (None, {"fields": ["title", "title_is_derived", "slug", "is_published", "outlet", "author", "dateline",
                           ("published", "date_precision"), "language", "original_url"]}),
        ("Text", {"fields": ["text", "text_beside_raw", "removed_lines_table", "references_list"]}),
        ("Provenance", {"fields": ["provenance", "captured_at", "curated_fields", "created", "updated"]}),
        ("Versions", {"fields": ["versions"]}),
    ]
    inlines = [CountryMentionInline, OrganisationMentionInline, PersonMentionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish", "unpublish", "confirm_derived_titles", "reextract",
               admin_versions.split_versions, admin_versions.join_versions]
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_urls(self):
        wrap = self.admin_site.admin_view
        # csrf_exempt here: the upload view checks CSRF itself, after refusing an oversized body.
        upload = csrf_exempt(lambda request: admin_import.upload_view(request, self))
        return [
            path("import/", wrap(upload), name="sources_source_import"),
            path("import/<int:job_id>/", wrap(lambda request, job_id: admin_import.job_view(request, self, job_id)),
                 name="sources_source_import_job"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            country_count=mention_count(CountryMention),
            organisation_count=mention_count(OrganisationMention),
        )

    @admin.display(description="title", ordering="title")
    def listed_title(self, source):
        """The title, shortened with the whole in its tooltip, marked when the archive derived
        it from the text (a marker in the cell, not a column of mostly "no" icons)."""
        shortened = Truncator(source.title).chars(LISTED_TITLE_LENGTH)
        if shortened != source.title:
            shortened = format_html('<span title="{}">{}</span>', source.title, shortened)
        if not source.title_is_derived:
            return shortened
        return format_html('{} <em class="archive-derived">derived title</em>', shortened)

    @admin.display(description="published on", ordering="published")
    def publication_date(self, source):
        return date_with_precision(source)

    @admin.display(description="countries", ordering="country_count")
    def country_count(self, source):
        return source.country_count

    @admin.display(description="organisations", ordering="organisation_count")
    def organisation_count(self, source):
        return source.organisation_count

    @admin.display(description="Clean text beside the raw text")
    def text_beside_raw(self, source):
        return format_html(
            '<div class="archive-compare"><div><h4>Clean</h4><pre>{}</pre></div>'
            "<div><h4>Raw (as imported)</h4><pre>{}</pre></div></div>",
            source.text,
            source.raw_text,
        )

    @admin.display(description="Removed lines")
    def removed_lines_table(self, source):
        if not source.removed_lines:
            return "None"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((r["rule"], r["line"]) for r in source.removed_lines)
        )
        return format_html('<table class="archive-removed"><tr><th>Rule</th><th>Line</th></tr>{}</table>', rows)

    @admin.display(description="References")
    def references_list(self, source):
        if not source.references:
            return "None"
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((r,) for r in source.references)))

    @admin.display(description="Versions of this article")
    def versions(self, source):
        return admin_versions.version_group_members(source)

    @admin.display(description="Imported from")
    def provenance(self, source):
        return f"{source.source_file}, article {source.position + 1} · fingerprint {source.fingerprint[:12]}"

    def save_model(self, request, obj, form, change):
        if change:
            curation.record_curated_edit(obj, form.changed_data)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if change and formset.has_changed():
            field = CURATED_BY_INLINE[formset.model]
            source = form.instance
            if field not in source.curated_fields:
                source.curated_fields = sorted({*source.curated_fields, field})
                source.save(update_fields=["curated_fields", "updated"])

    @admin.action(description="Publish selected Sources")
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected Sources")
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value):
        # Saved one by one (not queryset.update) so the index follows each change.
        with deferred_indexing():
            for source in queryset:
                source.is_published = value
                source.curated_fields = sorted({*source.curated_fields, "is_published"})
                source.save(update_fields=["is_published", "curated_fields", "updated"])
        self.message_user(request, f"{queryset.count()} Source(s) {'published' if value else 'unpublished'}.")

    @admin.action(description="Confirm derived titles as the titles")
    def confirm_derived_titles(self, request, queryset):
        derived = queryset.filter(title_is_derived=True)
        with deferred_indexing():
            for source in derived:
                source.title_is_derived = False
                curation.record_curated_edit(source, ["title_is_derived"])
                source.save(update_fields=["title_is_derived", "curated_fields", "updated"])
        self.message_user(request, f"{len(derived)} derived title(s) confirmed; re-imports keep them.")

    @admin.action(description="Re-extract metadata and entities")
    def reextract(self, request, queryset):
        with deferred_indexing():
            changed = curation.reapply_gazetteer(queryset)
        self.message_user(request, f"Re-extracted {queryset.count()} Source(s); {changed} changed.")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The imports curators started by uploading files: read-only, each links to its page."""

    list_display = ["job_page", "uploaded", "created_by", "created", "status", "files_done", "files_total"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="import")
    def job_page(self, job):
        return format_html('<a href="{}">Import {}</a>', reverse("admin:sources_source_import_job", args=[job.pk]), job.pk)


class ReapplyOnSaveMixin:
    """Saving a country, organisation or person re-applies it to the Sources that name it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if names_changed(form):
            self.reapply(request, obj)

    def reapply(self, request, entity):
        with deferred_indexing():
            changed = curation.reapply_gazetteer(curation.sources_naming(entity))
        self.message_user(request, f"Re-applied to the Sources that name it: {changed} changed.")


def names_changed(form):
    return bool({"name", "aliases"} & set(form.changed_data))


class SourceCountMixin:
    """A `source_count` column (sortable): how many Sources name the entity."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("source"))

    @admin.display(ordering="source_count", description="Sources")
    def source_count(self, entity):
        return entity.source_count


@admin.register(Country)
class CountryAdmin(ReapplyOnSaveMixin, SourceCountMixin, admin.ModelAdmin):
    list_display = ["name", "code", "source_count"]
    search_fields = ["name", "code", "aliases"]


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(queryset=Organisation.objects.none(), widget=forms.RadioSelect,
                                      empty_label=None, label="Keep")

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = entities


class MergeActionMixin:
    """An admin action that merges the selected entities into one the curator picks."""

    merge_entities = None  # staticmethod(curation function (survivor, losers))

    @admin.action(description="Merge the selected into one")
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, entities=queryset)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            losers = list(queryset.exclude(pk=survivor.pk))
            with deferred_indexing():
                self.merge_entities(survivor, losers)
            self.message_user(request, f"Merged {', '.join(o.name for o in losers)} into {survivor.name}.")
            return None
        return render(request, "admin/sources/merge.html", {
            **self.admin_site.each_context(request),
            "title": f"Merge {self.model._meta.verbose_name_plural}",
            "form": form,
            "entities": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(Organisation)
class OrganisationAdmin(ReapplyOnSaveMixin, MergeActionMixin, SourceCountMixin, admin.ModelAdmin):
    merge_entities = staticmethod(curation.merge_organisations)
    list_display = ["name", "kind", "country", "source_count"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "aliases"]
    autocomplete_fields = ["country"]
    actions = ["merge"]



@admin.register(Person)
class PersonAdmin(ReapplyOnSaveMixin, MergeActionMixin, SourceCountMixin, admin.ModelAdmin):
    merge_entities = staticmethod(curation.merge_people)
    list_display = ["name", "description", "other_names", "found_in_text", "source_count"]
    list_filter = ["found_in_text"]
    readonly_fields = ["slug", "found_in_text"]
    search_fields = ["name", "aliases", "description"]
    actions = ["merge"]

    def save_model(self, request, obj, form, change):
        was_found, obj.found_in_text = obj.found_in_text, False  # saved by a curator: reviewed
        super().save_model(request, obj, form, change)
        if was_found and not names_changed(form):
            self.reapply(request, obj)  # now looked for in every article, not only where introduced

    @admin.display(description="Other names")
    def other_names(self, person):
        return ", ".join(person.alias_list)


@admin.register(Outlet)
class OutletAdmin(MergeActionMixin, SourceCountMixin, admin.ModelAdmin):
    merge_entities = staticmethod(curation.merge_outlets)
    list_display = ["name", "other_names", "source_count"]
    search_fields = ["name", "aliases"]
    actions = ["merge"]

    @admin.display(description="Other names")
    def other_names(self, outlet):
        return ", ".join(outlet.alias_list)

    def save_model(self, request, obj, form, change):
        old_names = []
        if change and {"name", "aliases"} & set(form.changed_data):
            before = Outlet.objects.get(pk=obj.pk)
            old_names = [before.name, *before.alias_list]
        super().save_model(request, obj, form, change)
        shadowed = outlets.shadowed_by(obj)
        with deferred_indexing():
            if shadowed:
                curation.merge_outlets(obj, shadowed)
                self.message_user(request, f"Merged into it: {', '.join(o.name for o in shadowed)}.")
            if old_names:
                moved = len(outlets.relink(obj, old_names))
                self.message_user(request, f"Sources linked again by name: {moved} changed outlet.")
