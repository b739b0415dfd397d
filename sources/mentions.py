"""An article's mention rows: the countries, organisations, people and years it names,
written from what the pipeline found. People the gazetteer did not know become Person
rows here, the one place where a found name turns into a curated entity."""

from django.db import connections, router

from .import_context import current_context
from .ingest.pipeline import Article
from .models import (
    Country,
    CountryMention,
    MentionedYear,
    Organisation,
    OrganisationMention,
    Person,
    PersonMention,
    Source,
    new_slugs,
)
from .signals import touch

MENTION_MODELS = (CountryMention, OrganisationMention, PersonMention, MentionedYear)


def take_new_mention_rows(source):
    """The rows apply_mentions listed; from now on it compares with the stored rows."""
    return vars(source).pop("_new_mention_rows")


def insert_mentions(rows):
    """Insert listed mention rows, (model, saved Source, field values), one executemany per
    model (in each table, in the rows' order). Plain rows, not model instances: building
    and compiling ~25 instances per article was a fifth of a first import's storing time."""
    connection = connections[router.db_for_write(Source)]
    for model in MENTION_MODELS:
        of_model = [(source.pk, values) for row_model, source, values in rows if row_model is model]
        if not of_model:
            continue
        names = list(of_model[0][1])
        columns = [model._meta.get_field(name).column for name in ["source_id", *names]]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(map(connection.ops.quote_name, columns)),
            ", ".join(["%s"] * len(columns)),
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(pk, *(values[name] for name in names)) for pk, values in of_model])


def apply_mentions(source: Source, article: Article) -> bool:
    """Set countries, organisations, people and years from the article, leaving the kinds a
    curator edited alone. Returns whether anything changed."""
    changed = False
    if "countries" not in source.curated_fields:
        ids = _country_ids(article.countries)
        wanted = {
            ids[code]: {"mentions": count, "passing": code in article.passing_countries}
            for code, count in article.countries.items() if code in ids
        }
        changed |= sync_mentions(CountryMention, source, "country_id", wanted)
    if "organisations" not in source.curated_fields:
        ids = _organisation_ids(article.organisations)
        wanted = {ids[name]: count for name, count in article.organisations.items() if name in ids}
        changed |= sync_mentions(OrganisationMention, source, "organisation_id", wanted)
    if "people" not in source.curated_fields:
        ids = _person_ids(article.people)
        wanted = {ids[name]: count for name, count in article.people.items()}
        changed |= sync_mentions(PersonMention, source, "person_id", wanted)
    changed |= sync_mentions(MentionedYear, source, "year", dict(article.years))
    return changed


def _country_ids(codes):
    """{ISO code: pk}, from the import's snapshot when there is one."""
    context = current_context()
    if context is not None:
        return context.country_ids
    return dict(Country.objects.filter(code__in=codes).values_list("code", "pk"))


def _organisation_ids(names):
    """{canonical name: pk}, from the import's snapshot when there is one."""
    context = current_context()
    if context is not None:
        return context.organisation_ids
    return dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))


def _person_ids(names):
    """{name: pk} for every name, creating the people not stored yet (a name the rules found)."""
    context = current_context()
    known = context.person_ids if context is not None else dict(
        Person.objects.filter(name__in=names).values_list("name", "pk")
    )
    _create_people([name for name in names if name not in known], known)
    return known


def create_found_people(names):
    """Before an import stores a group of articles together: the people its rules found
    that no Person has yet, created in one query for the group, not one per article."""
    known = current_context().person_ids
    _create_people(list(dict.fromkeys(name for name in names if name not in known)), known)


def _create_people(missing, known):
    if missing:
        slugs = new_slugs(Person, missing)
        Person.objects.bulk_create([Person(name=name, slug=slugs[name], found_in_text=True) for name in missing])
        known.update(Person.objects.filter(name__in=missing).values_list("name", "pk"))


def sync_mentions(model, source, key, wanted):
    """Make the source's mention rows equal `wanted` ({key value: mention count}, or
    {key value: {field: value}} where a row holds more than its count).

    A Source being created (see importer._new_source) only gets its rows listed, for one
    insert: bulk_create sends no post_save, the Source is queued for indexing by whoever
    saves it."""
    wanted = {value: fields if isinstance(fields, dict) else {"mentions": fields} for value, fields in wanted.items()}
    new_rows = getattr(source, "_new_mention_rows", None)
    if new_rows is not None:
        new_rows += [(model, source, {key: value, **fields}) for value, fields in wanted.items()]
        return bool(wanted)
    current = {getattr(row, key): row for row in model.objects.filter(source=source)}
    if {k: _fields_of(row, wanted.get(k, {})) for k, row in current.items()} == wanted:
        return False
    changed_rows = [row for k, row in current.items() if k in wanted and _fields_of(row, wanted[k]) != wanted[k]]
    for row in changed_rows:
        for name, field_value in wanted[getattr(row, key)].items():
            setattr(row, name, field_value)
    # Bulk writes, which send no signal per row: the Source is queued for indexing once,
    # below. A signal per row wrote an index mark per row, a third of a re-import's time
    # at 100,000 articles.
    _delete_rows(model, [row.pk for k, row in current.items() if k not in wanted])
    if changed_rows:
        model.objects.bulk_update(changed_rows, sorted({name for k in wanted for name in wanted[k]}))
    model.objects.bulk_create(
        [model(source_id=source.pk, **fields, **{key: value}) for value, fields in wanted.items() if value not in current]
    )
    touch(source.pk)
    return True


def _fields_of(row, fields):
    return {name: getattr(row, name) for name in fields}


def _delete_rows(model, pks):
    """DELETE by primary key without Django's per-row post_delete signals."""
    if not pks:
        return
    connection = connections[router.db_for_write(model)]
    table, pk_column = (connection.ops.quote_name(name) for name in (model._meta.db_table, model._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk_column} IN ({', '.join(['%s'] * len(pks))})", pks)
