"""Where the ingest pipeline meets the models: files in, Sources stored.

Identity: an article is the same article when its content fingerprint matches (so the
same text under two file names is one Source), or, failing that, when it sits at the same
position of the same file (so an edited file updates its Sources instead of adding more).
Each article is stored in its own transaction; a failure leaves nothing half-written and
the rest of the batch goes on. Fields a curator edited are never overwritten.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from slugify import slugify

from .ingest.gazetteer import Gazetteer, GazCountry, GazOrganisation
from .ingest.pipeline import Article, process
from .ingest.read import ReadError, read_file
from .models import (
    Country,
    CountryMention,
    MentionedYear,
    Organisation,
    OrganisationMention,
    SlugRedirect,
    Source,
)

IMPORTABLE_SUFFIXES = {".txt", ".text", ".html", ".htm"}
SLUG_MAX_LENGTH = 80

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


@dataclass
class Outcome:
    path: str
    status: str
    title: str = ""
    reason: str = ""


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


def import_file(path, gazetteer):
    """Import every article of one file. Returns one Outcome per article (or one failure)."""
    try:
        text = read_file(path, max_bytes=settings.ARCHIVE_MAX_FILE_BYTES)
        articles = process(text, gazetteer)
    except ReadError as exc:
        return [Outcome(str(path), FAILED, reason=str(exc))]
    if not articles:
        return [Outcome(str(path), FAILED, reason="no article text left after cleaning")]
    outcomes = []
    for article in articles:
        label = f"{path}#{article.position}" if len(articles) > 1 else str(path)
        try:
            status = store_article(article, path.name)
        except Exception as exc:  # one bad article must not stop the batch
            outcomes.append(Outcome(label, FAILED, article.title, reason=f"{type(exc).__name__}: {exc}"))
        else:
            outcomes.append(Outcome(label, status, article.title))
    return outcomes


@transaction.atomic
def store_article(article: Article, file_name: str) -> str:
    source = find_existing(article, file_name)
    if source is None:
        source = Source(source_file=file_name, position=article.position)
        apply_article(source, article)
        source.slug = unique_slug(source.title)
        source.save()
        apply_mentions(source, article)
        return CREATED
    changed = apply_article(source, article)
    if changed:
        source.save()
    mentions_changed = apply_mentions(source, article)
    return UPDATED if changed or mentions_changed else UNCHANGED


def find_existing(article, file_name):
    source = Source.objects.filter(fingerprint=article.fingerprint).first()
    if source is None:
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
    changed = False
    if "countries" not in source.curated_fields:
        wanted = {
            country.pk: article.countries[country.code]
            for country in Country.objects.filter(code__in=article.countries)
        }
        changed |= sync_mentions(CountryMention, source, "country_id", wanted)
    if "organisations" not in source.curated_fields:
        wanted = {
            organisation.pk: article.organisations[organisation.name]
            for organisation in Organisation.objects.filter(name__in=article.organisations)
        }
        changed |= sync_mentions(OrganisationMention, source, "organisation_id", wanted)
    changed |= sync_mentions(MentionedYear, source, "year", dict(article.years))
    return changed


def sync_mentions(model, source, key, wanted):
    """Make the source's mention rows equal `wanted` ({key value: mention count})."""
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
