"""Where the ingest pipeline meets the models: files in, Sources stored.

Identity: an article is the same article when its content fingerprint matches (so the
same text under two file names is one Source), or, failing that, when it sits at the same
position of the same file (so an edited file updates its Sources instead of adding more).
A file is known by its path below the folder given (sources.ingest.files); a Source stored
before that, under the file's name alone, is taken over by (name, position) once.
Each article is stored atomically, inside a transaction per FILES_PER_TRANSACTION files:
the new articles of a transaction together in one savepoint, or, when that fails or some
article is not new, each in its own savepoint; a failure leaves nothing half-written and
the rest of the batch goes on. Fields a curator edited are never overwritten.
"""

import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from slugify import slugify

from .ingest import files as ingest_files
from .import_context import current_context, import_context, without_context  # noqa: F401 (import_context: public)
from .ingest.gazetteer import Gazetteer, GazCountry, GazOrganisation, GazPerson
from .ingest.parallel import parse_file, parse_files
from .ingest import pipeline
from .ingest.pipeline import Article, undecodable_count
from .ingest.read import WEB_ARCHIVE_SUFFIXES, strip_bidi_controls
from .mentions import apply_mentions, create_found_people, insert_mentions, take_new_mention_rows
from .models import Country, Organisation, Person, SlugRedirect, Source
from .signals import touch
from .versions import detect as detect_versions, detect_in_outcomes, detect_in_stored

#: Files stored per database transaction (each article in its own savepoint).
FILES_PER_TRANSACTION = 50

IMPORTABLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", *WEB_ARCHIVE_SUFFIXES}
SLUG_MAX_LENGTH = 80

CREATED, UPDATED, UNCHANGED, FAILED, SKIPPED = "created", "updated", "unchanged", "failed", "skipped"


@dataclass
class Outcome:
    path: str
    status: str
    title: str = ""
    reason: str = ""
    source_pk: int | None = None
    undecodable: int = 0  # bad bytes the reader replaced by U+FFFD (recorded on the Source)
    # A created Source's text is the article's: version detection takes its shingles from
    # the pipeline (sources.versions.detect_in_outcomes).
    shingles: object = None


@dataclass
class ImportSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status):
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self):
        return [outcome for outcome in self.outcomes if outcome.status == FAILED]

    @property
    def with_undecodable_bytes(self):
        return [outcome for outcome in self.outcomes if outcome.undecodable]

    @property
    def ok(self):
        return not self.failures


def find_files(paths):
    """The importable files below `paths` ([ImportFile]) and Outcomes for what is not read:
    failed (missing, not a regular file, a symbolic link given), or skipped (a symbolic
    link inside a folder)."""
    files, refusals = ingest_files.find_files(paths, IMPORTABLE_SUFFIXES)
    refused = [Outcome(r.path, SKIPPED if r.skipped else FAILED, reason=r.reason) for r in refusals]
    return files, refused


def gazetteer_from_db():
    return Gazetteer(
        countries=[GazCountry(c.code, c.name, c.alias_list) for c in Country.objects.all()],
        # Kind and home country: country_weight reads "Russia's Interfax" and "Party of Tajikistan".
        organisations=[
            GazOrganisation(o.name, o.alias_list, o.kind, o.country.code if o.country else None)
            for o in Organisation.objects.select_related("country")
        ],
        people=[GazPerson(p.name, p.alias_list) for p in Person.objects.filter(found_in_text=False)],
    )


# --- reading and storing ---------------------------------------------------------------

def import_file(path, gazetteer):
    """Import every article of one file. Returns one Outcome per article (or one failure)."""
    articles, reason = parse_file(path, gazetteer, settings.ARCHIVE_MAX_FILE_BYTES)
    return detect_in_outcomes(store_articles(path, articles, reason))


def import_files(paths, gazetteer, processes=None):
    """Yield (path, outcomes) for every file, in order, once stored: files are parsed on
    every core (sources.ingest.parallel) and stored here, FILES_PER_TRANSACTION files per
    transaction (a commit per article was ~40% of the storing time). An import killed
    mid-way loses at most the uncommitted files' articles, whole; its re-run stores them."""
    parsed = parse_files(paths, gazetteer, settings.ARCHIVE_MAX_FILE_BYTES, processes)
    while group := list(itertools.islice(parsed, FILES_PER_TRANSACTION)):
        with transaction.atomic():
            stored = detect_in_stored(store_group(group))
        yield from stored


def store_group(group):
    """Store one transaction's files, [(path, articles, reason)]; returns [(path, outcomes)].

    Runs of files whose articles are all new (a first import) are inserted together: a few
    queries for all their Sources and mention rows instead of ~6 per article, which was
    most of the storing time. A file with an article already stored (or met earlier in
    the group) is stored article by article, each in its own savepoint, in its place in
    the order; so is a run when anything in it fails, so that a failure takes back only
    its own article."""
    stored = []
    for all_new, files in itertools.groupby(zip(group, _new_files(group)), key=lambda pair: pair[1]):
        files = [file for file, _new in files]
        if all_new:
            try:
                stored += _create_together(files)
                continue
            except Exception:
                # Which article failed, and why, is found out (and reported) one by one below.
                pass
        stored += [(path, store_articles(path, articles, reason)) for path, articles, reason in files]
    return stored


def _new_files(group) -> list[bool]:
    """For each file of the group, whether the import's context says none of its articles
    is stored yet or met in an earlier file of the group (those are found, not created:
    one by one)."""
    context = current_context()
    if context is None or not connections[router.db_for_write(Source)].features.can_return_rows_from_bulk_insert:
        return [False] * len(group)
    fingerprints, positions, new = set(), set(), []
    for path, articles, _reason in group:
        file_is_new = True
        for article in articles:
            position = (path.name, article.position)
            if (
                article.fingerprint in context.fingerprints or article.fingerprint in fingerprints
                or position in context.positions or position in positions
                or (_base_name(path.name), article.position) in context.base_name_positions
            ):
                file_is_new = False
            fingerprints.add(article.fingerprint)
            positions.add(position)
        new.append(file_is_new)
    return new


def _create_together(group):
    """Create every article of these files in one savepoint (see store_group)."""
    context = current_context()
    create_found_people(name for _path, articles, _reason in group for article in articles for name in article.people)
    sources, new_rows, slugs = [], [], set()
    for path, articles, _reason in group:
        for article in articles:
            source = _new_source(article, path.name)
            source.slug = next(
                slug for slug in _slug_candidates(source.title) if slug not in context.slugs and slug not in slugs
            )
            slugs.add(source.slug)
            apply_mentions(source, article)
            sources.append(source)
            new_rows += take_new_mention_rows(source)
    with transaction.atomic():
        Source.objects.bulk_create(sources)  # sets their pks, which the mention rows take
        insert_mentions(new_rows)
        touch(*(source.pk for source in sources))  # bulk_create sends no post_save
    created = iter(sources)
    stored = []
    for path, articles, reason in group:
        if reason is not None:
            stored.append((path, [Outcome(str(path), FAILED, reason=reason)]))
            continue
        outcomes = []
        for article in articles:
            source = next(created)
            context.stored(source)
            outcomes.append(_stored(_label(path, article, articles), CREATED, article, source.pk))
        stored.append((path, outcomes + _record_outcomes(path, articles)))
    return stored


def store_articles(path, articles, reason=None):
    """Store the articles parsed from one file; `reason` is why the file could not be parsed."""
    if reason is not None:
        return [Outcome(str(path), FAILED, reason=reason)]
    context = current_context()
    outcomes = []
    for article in articles:
        label = _label(path, article, articles)
        try:
            try:
                status, pk = store_article(article, path.name)
            except IntegrityError:
                if context is None:
                    raise
                # Someone else wrote a row the context did not know of: again, with queries.
                with without_context():
                    status, pk = store_article(article, path.name)
        except Exception as exc:  # one bad article must not stop the batch
            outcomes.append(Outcome(label, FAILED, article.title, reason=f"{type(exc).__name__}: {exc}"))
        else:
            outcomes.append(_stored(label, status, article, pk))
    return outcomes + _record_outcomes(path, articles)


def _record_outcomes(path, articles):  # a web archive's records that are not articles
    return [Outcome(f"{path}#{note.position}", note.status, reason=note.reason) for note in getattr(articles, "notes", ())]


def _stored(label, status, article, pk):
    return Outcome(label, status, article.title, source_pk=pk, undecodable=undecodable_count(article),
                   shingles=article.shingles if status == CREATED else None)


def _label(path, article, articles):
    return f"{path}#{article.position}" if len(articles) > 1 or hasattr(articles, "notes") else str(path)


def store_article(article: Article, file_name: str) -> tuple[str, int]:
    """Create or update the article's Source; returns (status, Source pk)."""
    context = current_context()
    with transaction.atomic():
        source = find_existing(article, file_name)
        if source is None:
            source = _new_source(article, file_name)
            source.slug = unique_slug(source.title)
            source.save()
            apply_mentions(source, article)
            insert_mentions(take_new_mention_rows(source))
            status = CREATED
        else:
            took_over = _take_over(source, file_name)
            changed = apply_article(source, article)
            if changed:
                source.save()
            elif took_over:
                source.save(update_fields=["source_file", "source_file_is_base_name"])
            mentions_changed = apply_mentions(source, article)
            status = UPDATED if changed or mentions_changed else UNCHANGED
    if context is not None:
        context.stored(source)
    return status, source.pk


def _new_source(article, file_name):
    """An unsaved Source for the article (no slug yet). It has no mention rows to compare
    with: apply_mentions only lists them in `_new_mention_rows`, and the caller inserts
    them, together with other Sources' rows when it can."""
    source = Source(source_file=file_name, position=article.position)
    apply_article(source, article)
    source._new_mention_rows = []
    return source


def find_existing(article, file_name):
    """The article's Source by fingerprint, by (file, position), or by (file's name,
    position) among the Sources stored before files were known by their path."""
    context = current_context()
    source = None
    if context is None or article.fingerprint in context.fingerprints:
        source = Source.objects.filter(fingerprint=article.fingerprint).first()
    if source is None and (context is None or (file_name, article.position) in context.positions):
        source = Source.objects.filter(source_file=file_name, position=article.position).first()
    by_name = (_base_name(file_name), article.position)
    if source is None and (context is None or by_name in context.base_name_positions):
        source = Source.objects.filter(
            source_file=by_name[0], position=article.position, source_file_is_base_name=True
        ).first()
    return source


def _base_name(file_name):
    return file_name.rsplit("/", 1)[-1]


def _take_over(source, file_name):
    """Give a Source stored under its file's name alone the file's path (once: a second
    file of that name is then a different file). Returns whether it did."""
    if not source.source_file_is_base_name:
        return False
    context = current_context()
    if context is not None:
        context.base_name_positions.discard((source.source_file, source.position))
    source.source_file, source.source_file_is_base_name = file_name, False
    return True


def apply_article(source: Source, article: Article) -> bool:
    """Copy the pipeline's values onto the Source, leaving curated fields alone.

    Returns whether anything changed."""
    values = {
        # The reader strips bidi controls already; these one-line fields are checked again
        # because other readers (web archives) feed the same pipeline.
        "title": strip_bidi_controls(article.title)[: Source._meta.get_field("title").max_length],
        "title_is_derived": article.title_is_derived,
        "outlet": strip_bidi_controls(article.outlet),
        "author": strip_bidi_controls(article.author),
        "dateline": strip_bidi_controls(article.dateline),
        "published": article.published,
        "date_precision": article.date_precision,
        "language": article.language,
        "text": article.text,
        "raw_text": article.raw_text,
        "removed_lines": [{"line": r.line, "rule": r.rule} for r in article.removed],
        "references": list(article.references),
        "fingerprint": article.fingerprint,
        "original_url": article.original_url,
        "captured_at": article.captured_at,
    }
    changed = False
    for name, value in values.items():
        if name in source.curated_fields:
            continue
        if getattr(source, name) != value:
            setattr(source, name, value)
            changed = True
    return changed


def unique_slug(title, exclude_pk=None):
    context = current_context()
    if context is not None and exclude_pk is None:
        # The slugs taken when the import started plus those it stored since; the unique
        # constraint still guards against a slug taken meanwhile by someone else.
        return next(slug for slug in _slug_candidates(title) if slug not in context.slugs)
    taken = Source.objects.exclude(pk=exclude_pk)
    redirects = SlugRedirect.objects.exclude(source_id=exclude_pk)
    return next(
        slug for slug in _slug_candidates(title)
        if not (taken.filter(slug=slug).exists() or redirects.filter(old_slug=slug).exists())
    )


def _slug_candidates(title):
    """The title's slug, then the same with -2, -3, ... (within SLUG_MAX_LENGTH)."""
    yield _slug(title, SLUG_MAX_LENGTH)
    # One slugify per length of suffix, not per candidate: generated and wire titles
    # repeat, and at 100,000 articles a title's 47th candidate was slugified 47 times.
    shortened = functools.cache(lambda digits: _slug(title, SLUG_MAX_LENGTH - digits - 1))
    for n in itertools.count(2):
        yield f"{shortened(len(str(n)))}-{n}"


def _slug(title, max_length):
    # save_order: without it python-slugify fills the length with whichever words fit,
    # skipping one that does not ("taking-effective-to" for "taking effective action to").
    return slugify(title, max_length=max_length, word_boundary=True, save_order=True) or "article"


def reextract(source: Source, gazetteer) -> bool:
    """Run the pipeline again over a stored article's raw text (after the gazetteer or the
    rules changed). Curated fields are kept. Returns whether anything changed."""
    articles = pipeline.reextract(source.raw_text, gazetteer, file_name=source.source_file)
    if len(articles) != 1:
        raise ValueError(f"raw text now splits into {len(articles)} articles; re-import the file instead")
    article = articles[0]
    article.position = source.position
    # Where and when the page was captured is known from the import only (a web archive's record).
    article.original_url, article.captured_at = source.original_url, source.captured_at
    with transaction.atomic():
        changed = apply_article(source, article)
        if changed:
            source.save()
            detect_versions([source.pk])  # the text may no longer be (or now be) a version
        return apply_mentions(source, article) or changed
