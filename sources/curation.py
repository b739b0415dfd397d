"""What curators do beyond editing a field: merge organisations, re-apply the gazetteer,
record which fields they edited, and keep an article's old address alive."""

from django.db import transaction
from django.db.models import Q

from . import importer, outlets
from .models import OrganisationMention, SlugRedirect, Source


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


@transaction.atomic
def merge_organisations(survivor, losers):
    """Move the losers' Sources to the survivor; their names live on as its aliases."""
    _keep_names(survivor, losers)
    for loser in losers:
        if loser.pk == survivor.pk:
            continue
        for mention in OrganisationMention.objects.filter(organisation=loser).select_related("source"):
            existing = OrganisationMention.objects.filter(source=mention.source, organisation=survivor).first()
            if existing:
                existing.mentions += mention.mentions
                existing.save(update_fields=["mentions"])
                mention.delete()
            else:
                mention.organisation = survivor
                mention.save(update_fields=["organisation"])
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
    """Sources linked to a country or organisation, or whose text names it (candidates
    for re-extraction after its names changed)."""
    names = [entity.name, *entity.alias_list]
    matches = Q()
    for name in names:
        matches |= Q(text__icontains=name)
    linked = Q(countries=entity) if entity._meta.model_name == "country" else Q(organisations=entity)
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
