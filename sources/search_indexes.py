"""What the search index holds: one document per PUBLISHED Source.

Documents are prepared in Python (no template): raw clean text, never HTML-escaped
(escaping happens exactly once, at output, in sources/highlight.py).

The facet fields come from the registry in sources/facets.py, one per facet, each filled
by its prepare_<name> method here. They are haystack Facet*Fields: whole values, never
tokenised (keyword fields on Elasticsearch, EXACT fields in engine/fields.py).
"""

import datetime
import hashlib
import re

from django.core.exceptions import ImproperlyConfigured
from haystack import indexes

from . import date_range, facets, versions
from .facets import UNDATED
from .formatting import language_name
from .models import Source

#: Sort keys are datetimes, a type every haystack engine sorts (integers are 32-bit on
#: stock Whoosh and on Elasticsearch's default mapping): the publication day, plus the pk
#: as milliseconds into that day as a stable tie-break (exact up to 86.4 million rows).
_DAY_MS = 86_400_000
_NEWEST_UNDATED = datetime.date(1, 1, 1)  # sorts last when descending
_OLDEST_UNDATED = datetime.date(9999, 12, 31)  # sorts last when ascending

_SPELL_WORD = re.compile(r"[^\W\d_]{3,}")


def sort_keys(source):
    """(newest_key, oldest_key): undated Sources come last in both directions."""
    tie = source.pk % _DAY_MS
    if source.publication_year is None or source.published is None:
        return _at(_NEWEST_UNDATED, tie), _at(_OLDEST_UNDATED, _DAY_MS - 1 - tie)
    return _at(source.published, tie), _at(source.published, _DAY_MS - 1 - tie)


def _at(day, milliseconds):
    return datetime.datetime.combine(day, datetime.time.min) + datetime.timedelta(milliseconds=milliseconds)


# haystack collects an index's fields when its class is made: the registry's facet fields
# go in through a base class, so that SourceIndex lists only the fields that are not facets.
_FacetFields = type(indexes.SearchIndex)(
    "_FacetFields",
    (indexes.SearchIndex,),
    {"__module__": __name__, **{facet.name: facet.index_field() for facet in facets.FACETS}},
)


class SourceIndex(_FacetFields, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=False)
    title = indexes.CharField(model_attr="title", boost=2.0)
    # `outlet:` in a query: the outlet as the article names it and its canonical name.
    outlet_text = indexes.CharField(default="")
    author = indexes.CharField(model_attr="author", default="")
    slug = indexes.CharField(model_attr="slug", indexed=False, stored=True)
    published = indexes.DateField(model_attr="published", null=True, stored=False)
    # The period the date is known to (sources/date_range.py): the date-range filter.
    published_first = indexes.DateField(null=True, stored=False)
    published_last = indexes.DateField(null=True, stored=False)
    newest = indexes.DateTimeField(stored=False)
    oldest = indexes.DateTimeField(stored=False)
    spell = indexes.CharField(stored=False)
    # The body is not stored; its digest is, so reconcile_index can tell a stale document.
    text_digest = indexes.CharField(indexed=False, stored=True)
    # Versions collapse to their group's leader by filtering on `version_leads` ("yes"),
    # which any haystack engine can do (sources/versions.py keeps the leaders current).
    version_leads = indexes.FacetCharField(default="yes")
    # On a group's leader, what its other versions add (a headline, an outlet line, a
    # trailer): collapsed search finds the group by the words of any version.
    other_versions_text = indexes.CharField(default="", stored=False)

    def get_model(self):
        return Source

    def index_queryset(self, using=None):
        return Source.objects.published().for_listing().order_by("pk")

    def read_queryset(self, using=None):
        return Source.objects.published().for_listing()

    def should_update(self, instance, **kwargs):
        return bool(instance.is_published)

    def update_object(self, instance, using=None, **kwargs):
        # Unpublished: make sure it is gone rather than leave a stale document.
        if not instance.is_published:
            return self.remove_object(instance, using=using, **kwargs)
        return super().update_object(instance, using=using, **kwargs)

    def prepare_text(self, obj):
        return "\n\n".join(part for part in (obj.title, obj.text) if part)

    def prepare_country(self, obj):
        return sorted({c.name for c in obj.about_countries})

    def prepare_organisation(self, obj):
        return sorted({o.name for o in obj.organisations.all()})

    def prepare_person(self, obj):
        return sorted({p.name for p in obj.people.all()})

    def prepare_outlet(self, obj):
        return [obj.outlet_entity.name] if obj.outlet_entity_id else []

    def prepare_language(self, obj):
        return [language_name(obj.language)]

    def prepare_outlet_text(self, obj):
        names = [obj.outlet, obj.outlet_entity.name if obj.outlet_entity_id else ""]
        return " ".join(dict.fromkeys(name for name in names if name))

    def prepare_year(self, obj):
        year = obj.publication_year
        return str(year) if year is not None else UNDATED

    def prepare_mentioned_year(self, obj):
        return sorted({str(m.year) for m in obj.mentioned_years.all()})

    def prepare_published_first(self, obj):
        known = date_range.period(obj.published, obj.date_precision)
        return known[0] if known else None

    def prepare_published_last(self, obj):
        known = date_range.period(obj.published, obj.date_precision)
        return known[1] if known else None

    def prepare_newest(self, obj):
        return sort_keys(obj)[0]

    def prepare_oldest(self, obj):
        return sort_keys(obj)[1]

    def prepare_text_digest(self, obj):
        return hashlib.sha256(obj.text.encode("utf-8")).hexdigest()[:16]

    def prepare_version_leads(self, obj):
        return "yes" if versions.leads(obj) else "no"

    def prepare_other_versions_text(self, obj):
        return versions.other_versions_text(obj)

    def prepare_spell(self, obj):
        words = set(map(str.lower, _SPELL_WORD.findall(obj.title)))
        words.update(map(str.lower, _SPELL_WORD.findall(obj.text)))
        return " ".join(sorted(words))


_unprepared = [f.name for f in facets.FACETS if not hasattr(SourceIndex, f"prepare_{f.name}")]
if _unprepared:
    raise ImproperlyConfigured(f"SourceIndex needs prepare_ methods for facets {_unprepared}")
