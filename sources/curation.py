"""What curators do beyond editing a field: merge organisations, people and outlets,
re-apply the gazetteer, record which fields they edited, and keep an article's old
address alive."""

from django.db import transaction
from django.db.models import Q

from . import importer, outlets
from .models import OrganisationMention, PersonMention, SlugRedirect, Source

# The relation from a Source to each kind of mentioned entity.
RELATIONS = {"country": "countries", "organisation": "organisations", "person": "people"}


def record_curated_edit(source: Source, changed_fields) -> None:
    """Remember the fields a curator changed so imports leave them alone; a new title gets
    a new address, and the old one keeps redirecting."""
    changed_fields = set(changed_fields)
    if changed_fields & {"title", "title_is_derived"}:
        # A curator who wrote or confirmed the title owns both; a title they wrote is theirs,
        # not the text's first sentence.
        if "title" in changed_fields and "title_is_derived" not in changed_fields:
            source.title_is_derived = False
        changed_fields |= {"title", "title_is_derived"}
    curated = set(source.curated_fields) | (changed_fields & set(Source.CURATABLE_FIELDS))
    source.curated_fields = sorted(curated)
    if "title" in changed_fields:
        new_slug = importer.unique_slug(source.title, exclude_pk=source.pk)
        if source.pk and new_slug != source.slug:
            SlugRedirect.objects.update_or_create(old_slug=source.slug, defaults={"source": source})
            SlugRedirect.objects.filter(old_slug=new_slug).delete()
            source.slug = new_slug


def merge_organisations(survivor, losers):
    """Move the losers' Sources to the survivor; their names live on as its aliases."""
    return _merge_mentioned(survivor, losers, OrganisationMention, "organisation")


def merge_people(survivor, losers):
    """Move the losers' mentions to the survivor; their names live on as its other names."""
    survivor.found_in_text = False  # a curator's decision: looked for everywhere from now on
    return _merge_mentioned(survivor, losers, PersonMention, "person")


@transaction.atomic
def _merge_mentioned(survivor, losers, mention_model, field):
    _keep_names(survivor, losers)
    for loser in losers:
        if loser.pk == survivor.pk:
            continue
        for mention in mention_model.objects.filter(**{field: loser}).select_related("source"):
            existing = mention_model.objects.filter(source=mention.source, **{field: survivor}).first()
            if existing:
                existing.mentions += mention.mentions
                existing.save(update_fields=["mentions"])
                mention.delete()
            else:
                setattr(mention, field, survivor)
                mention.save(update_fields=[field])
        loser.delete()
    return reapply_gazetteer(sources_naming(survivor))


@transaction.atomic
def merge_outlets(survivor, losers):
    """Move the losers' Sources to the survivor; their names live on as its other names."""
    _keep_names(survivor, losers)
    for loser in losers:
        if loser.pk == survivor.pk:
            continue
        Source.objects.filter(outlet_entity=loser).update(outlet_entity=survivor)
        loser.delete()
    return len(outlets.relink(survivor))


def _keep_names(survivor, losers):
    """The losers' names and other names become the survivor's other names."""
    names = survivor.alias_list
    for loser in losers:
        if loser.pk != survivor.pk:
            names += [loser.name, *loser.alias_list]
    survivor.aliases = "\n".join(dict.fromkeys(n for n in names if n != survivor.name))
    survivor.save()


def sources_naming(entity):
    """Sources linked to a country, organisation or person, or whose text names it
    (candidates for re-extraction after its names changed)."""
    names = [entity.name, *entity.alias_list]
    matches = Q()
    for name in names:
        matches |= Q(text__icontains=name)
    linked = Q(**{RELATIONS[entity._meta.model_name]: entity})
    return Source.objects.filter(matches | linked).distinct()


def reapply_gazetteer(sources):
    """Re-extract the given Sources against the current curated tables."""
    gazetteer = importer.gazetteer_from_db()
    changed = 0
    for source in sources:
        try:
            changed += importer.reextract(source, gazetteer)
        except ValueError:
            continue  # a page that no longer splits the same way: left for a re-import
    return changed
