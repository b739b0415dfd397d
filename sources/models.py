"""The archive's records: Sources (one per article) and the curated gazetteer they point at."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from slugify import slugify

from . import facets, outlets


def split_aliases(text):
    """Aliases are edited as one per line; blank lines and surrounding spaces do not count."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class NamedWithAliases(models.Model):
    """A curated entity: known by `name`, also by the lines of `aliases`."""

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return split_aliases(self.aliases)


class Country(NamedWithAliases):
    code = models.CharField("ISO code", max_length=2, unique=True)
    name = models.CharField(max_length=100, unique=True)
    aliases = models.TextField(
        blank=True,
        help_text="One per line: other names, short forms, demonyms and adjectives "
        "(Kyrgyz, Kirghiz, Kyrgyzstani).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"


class Organisation(NamedWithAliases):
    class Kind(models.TextChoices):
        ARMED_GROUP = "armed_group", "Armed group"
        PARTY = "party", "Political party or movement"
        STATE_BODY = "state_body", "State body"
        INTERNATIONAL = "international", "International body"
        NGO = "ngo", "NGO or research centre"
        MEDIA = "media", "Media"
        OTHER = "other", "Other"

    name = models.CharField("canonical name", max_length=200, unique=True)
    aliases = models.TextField(
        blank=True,
        help_text="One per line. Acronyms (all capitals) match case-sensitively.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )

    class Meta:
        ordering = ["name"]

    @property
    def description(self):
        """What it is, for its page: "Armed group · Afghanistan"."""
        parts = [] if self.kind == self.Kind.OTHER else [self.get_kind_display()]
        if self.country_id:
            parts.append(self.country.name)
        return " · ".join(parts)


class Person(NamedWithAliases):
    """Someone articles name, found by the gazetteer (name and other names) or introduced in
    the text by a title or role; curators correct, describe and merge them."""

    name = models.CharField("canonical name", max_length=200, unique=True)
    aliases = models.TextField(
        blank=True,
        help_text="One per line: spellings, transliterations, other scripts (Khalimov, Халимов). "
        "A bare surname here matches on its own; otherwise a surname counts only after the full name.",
    )
    description = models.CharField(max_length=300, blank=True, help_text="Who they are: “Interior Minister of Tajikistan”.")
    # The page's address, made once from the name and kept when a curator corrects the name.
    # Stored (not derived like an organisation's) because people are many: thousands.
    slug = models.SlugField(max_length=120, unique=True, editable=False)
    # Not in the gazetteer until a curator saves it: an import's result must not depend on
    # the names earlier imports happened to find (a re-import would find more).
    found_in_text = models.BooleanField(
        "found in text, not reviewed", default=False,
        help_text="Added by an import from a name introduced in an article. Saved by a curator, "
        "the person is looked for in every article, like the shipped ones.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = new_slugs(Person, [self.name])[self.name]
        super().save(*args, **kwargs)


def new_slugs(model, names):
    """{name: a slug no row of `model` has}, transliterated ("Халимов" -> "khalimov") and
    unique among the names too ("-2", "-3" after the first)."""
    wanted = {name: slugify(name, max_length=100, word_boundary=True) or "unnamed" for name in names}
    taken = set(model.objects.filter(slug__in=wanted.values()).values_list("slug", flat=True))
    for base in list(taken):
        taken.update(model.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
    slugs = {}
    for name, base in wanted.items():
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[name] = slug
    return slugs


class Outlet(NamedWithAliases):
    """A publisher, curated like an organisation: its canonical name and other names. A
    Source's outlet text is linked to the Outlet that has it as name or other name."""

    name = models.CharField("canonical name", max_length=200, unique=True)
    aliases = models.TextField(blank=True, help_text="One per line: other names and short forms (RFE/RL).")

    class Meta:
        ordering = ["name"]


class SourceQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        outlets.link(objs)  # what save() does one by one
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        """Update, and reindex the touched Sources when the transaction commits.

        QuerySet.update sends no post_save: `filter(...).update(is_published=False)` left
        the article in the index, and the API counted a hit it then did not show. The pks
        are read first, in the same transaction: afterwards the filter may match others."""
        from .signals import touch

        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            updated = super().update(**kwargs)
            touch(*pks)
        return updated

    def published(self):
        return self.filter(is_published=True)

    def for_listing(self):
        """What a page of hits needs, fetched in a fixed number of queries: the listed
        facets' values (sources/facets.py), the curated outlet and the version group."""
        return self.select_related("outlet_entity", "version").prefetch_related(*(facet.prefetch() for facet in facets.LISTED))


class Source(models.Model):
    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"
        UNKNOWN = "unknown", "Unknown"

    # Fields a curator can correct; once edited, re-import and re-extraction keep them.
    CURATABLE_FIELDS = (
        "title",
        "title_is_derived",
        "outlet",
        "author",
        "dateline",
        "published",
        "date_precision",
        "language",
        "original_url",
        "text",
        "countries",
        "organisations",
        "people",
        "is_published",
    )

    title = models.CharField(max_length=300)
    title_is_derived = models.BooleanField(
        "title derived from the text",
        default=False,
        help_text="The article had no headline: its first sentence stands in. "
        "Untick to confirm it as the title, or write a better one.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    outlet = models.CharField(max_length=200, blank=True)
    outlet_entity = models.ForeignKey(
        Outlet, null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        verbose_name="outlet (curated)", help_text="Found from the outlet's name and the outlets' other names.",
    )
    author = models.CharField(max_length=200, blank=True)
    dateline = models.CharField("dateline place", max_length=100, blank=True)
    published = models.DateField("publication date", null=True, blank=True)
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    language = models.CharField(max_length=8, default="en")
    original_url = models.URLField(
        "original address", max_length=2000, blank=True,
        help_text="Where the article was published on the web (the page's canonical address, "
        "or the address a web archive captured).",
    )
    captured_at = models.DateTimeField(
        "captured", null=True, blank=True, help_text="When a web archive captured the page (not its publication date)."
    )

    text = models.TextField("clean text", help_text="Paragraphs separated by blank lines.")
    raw_text = models.TextField(help_text="The text as read from the file, kept for provenance.")
    removed_lines = models.JSONField(
        default=list, blank=True, help_text="Lines the cleaner removed, each with its rule."
    )
    references = models.JSONField(default=list, blank=True)

    source_file = models.CharField(
        max_length=1000, help_text="The file's path below the folder it was imported from."
    )
    # Imports before file paths counted stored only the file's name; the next import of the
    # file takes such a Source over by name and position, once (sources.importer).
    source_file_is_base_name = models.BooleanField(default=False, editable=False)
    position = models.PositiveIntegerField(
        default=0, help_text="Position of the article within its file (pages holding several)."
    )
    fingerprint = models.CharField(max_length=64, unique=True)

    countries = models.ManyToManyField(Country, through="CountryMention", blank=True)
    organisations = models.ManyToManyField(Organisation, through="OrganisationMention", blank=True)
    people = models.ManyToManyField(Person, through="PersonMention", blank=True)

    is_published = models.BooleanField("published", default=True)
    curated_fields = models.JSONField(
        default=list, blank=True, help_text="Fields a curator edited; imports leave them alone."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "title"]
        indexes = [
            models.Index(fields=["is_published", "published"]),
            models.Index(fields=["is_published", "outlet"]),
            # A re-import finds each article's Source by (file, position): without this,
            # a scan of the table per article (0.5 s each at 100,000 Sources).
            models.Index(fields=["source_file", "position"]),
        ]

    def __str__(self):
        return self.title

    @property
    def about_countries(self):
        """The countries the article is about, most mentioned first."""
        return [row.country for row in self._country_mentions() if not row.passing]

    @property
    def passing_countries(self):
        """The countries it names only in passing ("also mentioned")."""
        return [row.country for row in self._country_mentions() if row.passing]

    def _country_mentions(self):
        # for_listing prefetches the rows (sources/facets.py); else one query.
        if "countrymention_set" in getattr(self, "_prefetched_objects_cache", {}):
            return self.countrymention_set.all()
        return self.countrymention_set.select_related("country").order_by("-mentions", "country__name")

    def get_absolute_url(self):
        return reverse("sources:detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        source = super().from_db(db, field_names, values)
        source._outlet_as_loaded = source.__dict__.get("outlet")
        return source

    def save(self, *args, **kwargs):
        # Linked again only when the outlet text changed (or was never linked): a change
        # on the outlets' side is relinked by sources.outlets.relink, not by every save.
        unchanged = self.outlet_entity_id and self.outlet == getattr(self, "_outlet_as_loaded", None)
        if not unchanged:
            outlets.link([self])
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "outlet_entity"}
        super().save(*args, **kwargs)
        self._outlet_as_loaded = self.outlet

    @property
    def years(self):
        return sorted(m.year for m in self.mentioned_years.all())

    @property
    def paragraphs(self):
        return [p for p in self.text.split("\n\n") if p.strip()]

    @property
    def publication_year(self):
        if self.published and self.date_precision != self.DatePrecision.UNKNOWN:
            return self.published.year
        return None


class CountryMention(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    country = models.ForeignKey(Country, on_delete=models.CASCADE)
    mentions = models.PositiveIntegerField(default=1)
    # Set on import from where and how the text names the country (ingest/country_weight.py).
    passing = models.BooleanField(
        default=False,
        help_text="Named in passing, not what the article is about: left out of the country "
        "facet, filter and counts, listed apart as “also mentioned”.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "country"], name="unique_country_mention")
        ]

    def __str__(self):
        return str(self.country)


class OrganisationMention(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "organisation"], name="unique_organisation_mention"
            )
        ]

    def __str__(self):
        return str(self.organisation)


class PersonMention(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "person"], name="unique_person_mention")]

    def __str__(self):
        return str(self.person)


class MentionedYear(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="mentioned_years")
    year = models.PositiveSmallIntegerField(db_index=True)
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="unique_mentioned_year")
        ]

    def __str__(self):
        return str(self.year)


class SlugRedirect(models.Model):
    """An article's earlier address, kept so that citations never break."""

    old_slug = models.SlugField(max_length=120, unique=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return f"{self.old_slug} -> {self.source.slug}"


class NamesVersion(models.Model):
    """One row whose counter moves whenever a country's, organisation's or person's names
    change (sources/aliases.py): each process rebuilds its search-time alias table only
    then, not on every search (it cost 20 ms a search, half of a plain one's time)."""

    counter = models.BigIntegerField(default=0)


class IndexMark(models.Model):
    """A Source changed (or deleted) whose search-index document may not show it yet.

    Written in the transaction that changes the Source, deleted once the index has the
    change (sources.index_marks): a process killed in between leaves it behind for the
    next catch-up. No foreign key: a deleted Source's mark must outlive it."""

    source_id = models.BigIntegerField(primary_key=True)
    token = models.BigIntegerField(help_text="New at every change: a later change is never cleared.")


class ImportJob(models.Model):
    """An import started from the admin's upload page. `import_sources --job` runs it in a
    process of its own (sources.import_jobs), so that it outlives the request, and records
    its progress and summary here for the job page."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        IMPORTING = "importing", "Importing"
        INDEXING = "indexing", "Indexing"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped by an error"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    uploaded = models.CharField("files uploaded", max_length=1000)
    folder = models.CharField(max_length=1000, help_text="Where the upload was unpacked; removed when done.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Articles per outcome: created, updated...")
    problems = models.JSONField(default=list, blank=True, help_text="Failed and skipped files, with reasons.")
    error = models.TextField(blank=True, help_text="Why the job itself stopped, if it did.")
    pid = models.PositiveIntegerField(null=True, blank=True, editable=False, help_text="The import's process.")

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"Import {self.pk}: {self.uploaded}"

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent_done(self):
        return round(100 * self.files_done / self.files_total) if self.files_total else 0


def published_counts():
    """How many published Sources there are, and how many outlets, countries and
    organisations they name (the home page's figures). Countries and organisations are
    counted by an EXISTS probe each (~2 ms at 100,000 articles, where a join over every
    mention took 450 ms), outlets on the (is_published, outlet) index (8 ms, not 126)."""
    published = Source.objects.published()
    return {
        "sources": published.count(),
        "outlets": published.exclude(outlet="").values("outlet").distinct().count(),
        "countries": Country.objects.filter(
            Exists(CountryMention.objects.filter(country=OuterRef("pk"), source__is_published=True))
        ).count(),
        "organisations": Organisation.objects.filter(
            Exists(OrganisationMention.objects.filter(organisation=OuterRef("pk"), source__is_published=True))
        ).count(),
    }


from .version_models import PassageKey, TextOverlap, VersionGroup, VersionMembership  # noqa: E402,F401
