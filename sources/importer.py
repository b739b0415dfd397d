"""Where the ingest pipeline meets the models: files in, Sources stored.

Identity: an article is the same article when its content fingerprint matches (so the
same text under two file names is one Source), or, failing that, when it sits at the same
position of the same file (so an edited file updates its Sources instead of adding more).
Each article is stored atomically (its own savepoint inside a transaction per
FILES_PER_TRANSACTION files); a failure leaves nothing half-written and the rest of the
batch goes on. Fields a curator edited are never overwritten.
"""

import contextvars
import itertools
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from slugify import slugify

from .ingest.gazetteer import Gazetteer, GazCountry, GazOrganisation
from .ingest.parallel import parse_file, parse_files
from .ingest.pipeline import Article, process
from .models import (
    Country,
    CountryMention,
    MentionedYear,
    Organisation,
    OrganisationMention,
    SlugRedirect,
    Source,
)

#: Files stored per database transaction (each article in its own savepoint).
FILES_PER_TRANSACTION = 50

IMPORTABLE_SUFFIXES = {".txt", ".text", ".html", ".htm"}
SLUG_MAX_LENGTH = 80

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


@dataclass
class Outcome:
    path: str
    status: str
    title: str = ""
    reason: str = ""
    source_pk: int | None = None


@dataclass
class ImportSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status):
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self):
        return [outcome for outcome in self.outcomes if outcome.status == FAILED]

    @property
    def ok(self):
        return not self.failures


def find_files(paths):
    """Expand folders into the importable files below them; a missing path is an error."""
    files, missing = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES)
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def gazetteer_from_db():
    return Gazetteer(
        countries=[GazCountry(c.code, c.name, c.alias_list) for c in Country.objects.all()],
        organisations=[GazOrganisation(o.name, o.alias_list) for o in Organisation.objects.all()],
    )


# --- one import run's look-up tables ------------------------------------------------

class ImportContext:
    """What one import run looks up again and again, loaded once.

    * ids of countries (by code) and organisations (by name), for the mention rows;
    * the fingerprints and (file, position) pairs already stored: a miss in these sets
      means "no such Source", so a new article costs no look-up query (the (file,
      position) look-up has no index and scanned the whole table per article); a hit
      still loads the Source from the database, exactly as before;
    * the slugs already taken (Sources and redirects).

    These are snapshots. A row another process writes meanwhile is caught by the unique
    constraints (fingerprint, slug) or the foreign keys: the article's transaction then
    rolls back and `import_file` stores it again without the context, with the queries.
    """

    def __init__(self):
        self.country_ids = dict(Country.objects.values_list("code", "pk"))
        self.organisation_ids = dict(Organisation.objects.values_list("name", "pk"))
        rows = Source.objects.order_by().values_list("fingerprint", "source_file", "position")
        self.fingerprints = set()
        self.positions = set()
        for fingerprint, source_file, position in rows.iterator(chunk_size=5000):
            self.fingerprints.add(fingerprint)
            self.positions.add((source_file, position))
        self.slugs = set(Source.objects.order_by().values_list("slug", flat=True))
        self.slugs.update(SlugRedirect.objects.order_by().values_list("old_slug", flat=True))

    def stored(self, source):
        """Record a committed Source."""
        self.fingerprints.add(source.fingerprint)
        self.positions.add((source.source_file, source.position))
        self.slugs.add(source.slug)


_context: contextvars.ContextVar[ImportContext | None] = contextvars.ContextVar("import_context", default=None)


@contextmanager
def import_context():
    """Use one ImportContext for the imports inside the block (this thread only)."""
    token = _context.set(ImportContext())
    try:
        yield _context.get()
    finally:
        _context.reset(token)


@contextmanager
def _without_context():
    token = _context.set(None)
    try:
        yield
    finally:
        _context.reset(token)


# --- reading and storing ---------------------------------------------------------------

def import_file(path, gazetteer):
    """Import every article of one file. Returns one Outcome per article (or one failure)."""
    articles, reason = parse_file(path, gazetteer, settings.ARCHIVE_MAX_FILE_BYTES)
    return store_articles(path, articles, reason)


def import_files(paths, gazetteer, processes=None):
    """Yield (path, outcomes) for every file, in order, once stored: files are parsed on
    every core (sources.ingest.parallel) and stored here, FILES_PER_TRANSACTION files per
    transaction (a commit per article was ~40% of the storing time), each article in its
    own savepoint. An import killed mid-way loses at most the uncommitted files' articles,
    whole; its re-run stores them."""
    parsed = parse_files(paths, gazetteer, settings.ARCHIVE_MAX_FILE_BYTES, processes)
    while group := list(itertools.islice(parsed, FILES_PER_TRANSACTION)):
        with transaction.atomic():
            stored = [(path, store_articles(path, articles, reason)) for path, articles, reason in group]
        yield from stored


def store_articles(path, articles, reason=None):
    """Store the articles parsed from one file; `reason` is why the file could not be parsed."""
    if reason is not None:
        return [Outcome(str(path), FAILED, reason=reason)]
    context = _context.get()
    outcomes = []
    for article in articles:
        label = f"{path}#{article.position}" if len(articles) > 1 else str(path)
        try:
            try:
                status, pk = store_article(article, path.name)
            except IntegrityError:
                if context is None:
                    raise
                # Someone else wrote a row the context did not know of: again, with queries.
                with _without_context():
                    status, pk = store_article(article, path.name)
        except Exception as exc:  # one bad article must not stop the batch
            outcomes.append(Outcome(label, FAILED, article.title, reason=f"{type(exc).__name__}: {exc}"))
        else:
            outcomes.append(Outcome(label, status, article.title, source_pk=pk))
    return outcomes


def store_article(article: Article, file_name: str) -> tuple[str, int]:
    """Create or update the article's Source; returns (status, Source pk)."""
    context = _context.get()
    with transaction.atomic():
        source = find_existing(article, file_name)
        if source is None:
            source = Source(source_file=file_name, position=article.position)
            apply_article(source, article)
            source.slug = unique_slug(source.title)
            source.save()
            source._fresh = True  # no mention rows yet: apply_mentions only inserts
            apply_mentions(source, article)
            status = CREATED
        else:
            changed = apply_article(source, article)
            if changed:
                source.save()
            mentions_changed = apply_mentions(source, article)
            status = UPDATED if changed or mentions_changed else UNCHANGED
    if context is not None:
        context.stored(source)
    return status, source.pk


def find_existing(article, file_name):
    context = _context.get()
    source = None
    if context is None or article.fingerprint in context.fingerprints:
        source = Source.objects.filter(fingerprint=article.fingerprint).first()
    if source is None and (context is None or (file_name, article.position) in context.positions):
        source = Source.objects.filter(source_file=file_name, position=article.position).first()
    return source


def apply_article(source: Source, article: Article) -> bool:
    """Copy the pipeline's values onto the Source, leaving curated fields alone.

    Returns whether anything changed."""
    values = {
        "title": article.title[: Source._meta.get_field("title").max_length],
        "outlet": article.outlet,
        "author": article.author,
        "dateline": article.dateline,
        "published": article.published,
        "date_precision": article.date_precision,
        "language": article.language,
        "text": article.text,
        "raw_text": article.raw_text,
        "removed_lines": [{"line": r.line, "rule": r.rule} for r in article.removed],
        "references": list(article.references),
        "fingerprint": article.fingerprint,
    }
    changed = False
    for name, value in values.items():
        if name in source.curated_fields:
            continue
        if getattr(source, name) != value:
            setattr(source, name, value)
            changed = True
    return changed


def apply_mentions(source: Source, article: Article) -> bool:
    """Set countries, organisations and years from the article. Returns whether anything changed."""
    fresh = getattr(source, "_fresh", False)
    changed = False
    if "countries" not in source.curated_fields:
        ids = _country_ids(article.countries)
        wanted = {ids[code]: count for code, count in article.countries.items() if code in ids}
        changed |= sync_mentions(CountryMention, source, "country_id", wanted, fresh=fresh)
    if "organisations" not in source.curated_fields:
        ids = _organisation_ids(article.organisations)
        wanted = {ids[name]: count for name, count in article.organisations.items() if name in ids}
        changed |= sync_mentions(OrganisationMention, source, "organisation_id", wanted, fresh=fresh)
    changed |= sync_mentions(MentionedYear, source, "year", dict(article.years), fresh=fresh)
    return changed


def _country_ids(codes):
    """{ISO code: pk}, from the import's snapshot when there is one."""
    context = _context.get()
    if context is not None:
        return context.country_ids
    return dict(Country.objects.filter(code__in=codes).values_list("code", "pk"))


def _organisation_ids(names):
    """{canonical name: pk}, from the import's snapshot when there is one."""
    context = _context.get()
    if context is not None:
        return context.organisation_ids
    return dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))


def sync_mentions(model, source, key, wanted, *, fresh=False):
    """Make the source's mention rows equal `wanted` ({key value: mention count}).

    `fresh`: the source was just created and has no rows yet; they are inserted in one
    query (bulk_create sends no post_save, but the new Source's own save already queued
    it for indexing once the transaction commits)."""
    if fresh:
        if not wanted:
            return False
        model.objects.bulk_create(
            [model(source=source, mentions=mentions, **{key: value}) for value, mentions in wanted.items()]
        )
        return True
    current = {getattr(row, key): row for row in model.objects.filter(source=source)}
    if {k: row.mentions for k, row in current.items()} == wanted:
        return False
    stale = [row.pk for k, row in current.items() if k not in wanted]
    model.objects.filter(pk__in=stale).delete()
    for value, mentions in wanted.items():
        row = current.get(value)
        if row is None:
            model.objects.create(source=source, mentions=mentions, **{key: value})
        elif row.mentions != mentions:
            row.mentions = mentions
            row.save(update_fields=["mentions"])
    return True


def unique_slug(title, exclude_pk=None):
    base = slugify(title, max_length=SLUG_MAX_LENGTH, word_boundary=True) or "article"
    slug, n = base, 2
    context = _context.get()
    if context is not None and exclude_pk is None:
        # The slugs taken when the import started plus those it stored since; the unique
        # constraint still guards against a slug taken meanwhile by someone else.
        while slug in context.slugs:
            slug = f"{base[: SLUG_MAX_LENGTH - len(str(n)) - 1]}-{n}"
            n += 1
        return slug
    taken = Source.objects.exclude(pk=exclude_pk)
    redirects = SlugRedirect.objects.exclude(source_id=exclude_pk)
    while taken.filter(slug=slug).exists() or redirects.filter(old_slug=slug).exists():
        slug = f"{base[: SLUG_MAX_LENGTH - len(str(n)) - 1]}-{n}"
        n += 1
    return slug



def reextract(source: Source, gazetteer) -> bool:
    """Run the pipeline again over a stored article's raw text (after the gazetteer or the
    rules changed). Curated fields are kept. Returns whether anything changed."""
    articles = process(source.raw_text, gazetteer)
    if len(articles) != 1:
        raise ValueError(f"raw text now splits into {len(articles)} articles; re-import the file instead")
    article = articles[0]
    article.position = source.position
    with transaction.atomic():
        changed = apply_article(source, article)
        if changed:
            source.save()
        return apply_mentions(source, article) or changed
