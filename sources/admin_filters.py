"""List filters for the Sources changelist that stay short however large the data grows.

The stock related-field filter lists every organisation that any Source names (~150 rows
for a handful of articles), and the stock year filter every year any article mentions.
These show a small search box instead (a GET form: it works without JavaScript), and the
entity filters list the most-named few beside it.
"""

from django.contrib import admin
from django.contrib.admin.options import IS_FACETS_VAR
from django.db.models import Count, Q

from .models import Country, Organisation


class SearchBoxFilter(admin.SimpleListFilter):
    """A filter drawn with a search box (admin/sources/search_filter.html). The box's form
    carries the changelist's other parameters along; subclasses name the box."""

    template = "admin/sources/search_filter.html"
    box_type = "search"
    box_button = "Find"
    box_placeholder = ""
    shown = 0
    find = ""

    def has_output(self):
        return True  # the box, even when nothing is listed

    def choices(self, changelist):
        self.kept_parameters = {
            key: value for key, value in changelist.params.items() if key != self.box_name
        }
        yield from super().choices(changelist)

    def selected_number(self):
        value = self.value()
        return int(value) if value and value.isdigit() else None


class EntityFilter(SearchBoxFilter):
    entity_model = None
    relation = None  # the Source field that reaches the entity
    shown = 10
    box_placeholder = "name or alias"

    def __init__(self, request, params, model, model_admin):
        # Popped before the stock filter reads the rest: the changelist refuses parameters
        # that no filter claims.
        self.find = params.pop(self.box_name, [""])[-1].strip()
        super().__init__(request, params, model, model_admin)

    @property
    def box_label(self):
        return f"Find {self.title}"

    @property
    def box_value(self):
        return self.find

    def expected_parameters(self):
        return [self.parameter_name, self.box_name]

    def lookups(self, request, model_admin):
        named = self.entity_model.objects.annotate(source_count=Count("source")).filter(source_count__gt=0)
        if self.find:
            named = named.filter(Q(name__icontains=self.find) | Q(aliases__icontains=self.find))
        listed = list(named.order_by("-source_count", "name")[: self.shown])
        selected = self.selected_number()
        if selected is not None and selected not in {entity.pk for entity in listed}:
            listed += self.entity_model.objects.filter(pk=selected).annotate(source_count=Count("source"))
        if IS_FACETS_VAR in request.GET:
            return [(str(entity.pk), entity.name) for entity in listed]  # the admin adds its counts
        return [(str(entity.pk), f"{entity.name} ({entity.source_count})") for entity in listed]

    def queryset(self, request, queryset):
        selected = self.selected_number()
        return queryset if selected is None else queryset.filter(**{self.relation: selected})


class CountryFilter(EntityFilter):
    title = "country"
    # The stock filter's parameter, so that bookmarked filtered lists keep working.
    parameter_name = "countries__id__exact"
    box_name = "country_find"
    entity_model = Country
    relation = "countries__id"


class OrganisationFilter(EntityFilter):
    title = "organisation"
    parameter_name = "organisations__id__exact"
    box_name = "organisation_find"
    entity_model = Organisation
    relation = "organisations__id"


class MentionedYearFilter(SearchBoxFilter):
    """A year typed in, not a list of every year any article mentions (1777 to today)."""

    title = "year mentioned"
    parameter_name = box_name = "mentioned_years__year"  # the stock filter's, for bookmarks
    box_type = "number"
    box_label = "Articles that mention the year"
    box_button = "Show"
    box_placeholder = "e.g. 2005"

    @property
    def box_value(self):
        return self.value() or ""

    def lookups(self, request, model_admin):
        year = self.selected_number()
        return [] if year is None else [(str(year), str(year))]

    def queryset(self, request, queryset):
        year = self.selected_number()
        return queryset if year is None else queryset.filter(mentioned_years__year=year).distinct()


class DerivedTitleFilter(admin.SimpleListFilter):
    title = "title"
    parameter_name = "title_derived"

    def lookups(self, request, model_admin):
        return [("yes", "Derived from the text"), ("no", "Headline or confirmed")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(title_is_derived=self.value() == "yes")
        return queryset
