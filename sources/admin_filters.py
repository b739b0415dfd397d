"""List filters for the Sources changelist that stay short however large the gazetteer is.

The stock related-field filter lists every organisation that any Source names (~150 rows
for a handful of articles). These list the most-mentioned few and find the rest by name
(or alias) through a small search box: a GET form, so it works without JavaScript.
"""

from django.contrib import admin
from django.db.models import Count, Q

from .models import Country, Organisation


class EntityFilter(admin.SimpleListFilter):
    template = "admin/sources/entity_filter.html"
    entity_model = None
    relation = None  # the Source field that reaches the entity
    find_parameter = None
    shown = 10

    def __init__(self, request, params, model, model_admin):
        # Popped before the stock filter reads the rest: the changelist refuses parameters
        # that no filter claims.
        self.find = params.pop(self.find_parameter, [""])[-1].strip()
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self):
        return [self.parameter_name, self.find_parameter]

    def lookups(self, request, model_admin):
        named = self.entity_model.objects.annotate(source_count=Count("source")).filter(source_count__gt=0)
        if self.find:
            named = named.filter(Q(name__icontains=self.find) | Q(aliases__icontains=self.find))
        listed = list(named.order_by("-source_count", "name")[: self.shown])
        selected = self._selected_pk()
        if selected is not None and selected not in {entity.pk for entity in listed}:
            listed += named.model.objects.filter(pk=selected).annotate(source_count=Count("source"))
        return [(str(entity.pk), f"{entity.name} ({entity.source_count})") for entity in listed]

    def has_output(self):
        return True  # the search box, even when nothing matched what was typed

    def _selected_pk(self):
        value = self.value()
        return int(value) if value and value.isdigit() else None

    def queryset(self, request, queryset):
        selected = self._selected_pk()
        if selected is None:
            return queryset
        return queryset.filter(**{self.relation: selected})

    def choices(self, changelist):
        # What the search box's form must carry along: the other filters and the search.
        self.kept_parameters = {
            key: value for key, value in changelist.params.items() if key not in self.expected_parameters()
        }
        yield from super().choices(changelist)


class CountryFilter(EntityFilter):
    title = "country"
    # The stock filter's parameter, so that bookmarked filtered lists keep working.
    parameter_name = "countries__id__exact"
    find_parameter = "country_find"
    entity_model = Country
    relation = "countries__id"


class OrganisationFilter(EntityFilter):
    title = "organisation"
    parameter_name = "organisations__id__exact"
    find_parameter = "organisation_find"
    entity_model = Organisation
    relation = "organisations__id"


class DerivedTitleFilter(admin.SimpleListFilter):
    title = "title"
    parameter_name = "title_derived"

    def lookups(self, request, model_admin):
        return [("yes", "Derived from the text"), ("no", "Headline or confirmed")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(title_is_derived=self.value() == "yes")
        return queryset
