"""What a page or the API shows of versions and shared passages: published Sources only.

`versions_of_hits` serves a page of collapsed search hits (a fixed number of queries for
the whole page); `related_texts` serves one article ("Also published as", "Shares
passages with"), and `related_texts_json` is the same for /api/sources/<slug>.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q

from .ingest import reprints
from .models import Source, TextOverlap, VersionMembership


@dataclass
class Version:
    source: Source
    similarity: float | None  # Jaccard of the two texts (0-1); None: not measured


@dataclass
class Passage:
    source: Source
    share: float  # of THIS article's text, the part also in the other (0-1)
    their_share: float  # of the other's text, the part also in this one


@dataclass
class RelatedTexts:
    versions: list[Version]
    shares_passages_with: list[Passage]


def _group_ids(sources) -> dict[int, int]:
    """pk -> its version group, for the Sources in one (no query when the Sources were
    read with their `version`, as Source.objects.for_listing() reads them)."""
    out = {}
    for source in sources:
        try:
            out[source.pk] = source.version.group_id
        except VersionMembership.DoesNotExist:
            continue
    return out


def _published_mates(sources) -> dict[int, list[Source]]:
    """pk -> the other PUBLISHED members of its group, earliest first."""
    groups = _group_ids(sources)
    if not groups:
        return {}
    mates = (
        VersionMembership.objects.filter(group__in=set(groups.values()), source__is_published=True)
        .select_related("source")
        .order_by(F("source__published").asc(nulls_last=True), "source_id")
    )
    by_group = defaultdict(list)
    for membership in mates:
        by_group[membership.group_id].append(membership.source)
    return {pk: [s for s in by_group[group] if s.pk != pk] for pk, group in groups.items()}


def _similarities(pairs) -> dict[tuple[int, int], TextOverlap]:
    wanted = {(min(a, b), max(a, b)) for a, b in pairs}
    if not wanted:
        return {}
    condition = Q()
    for a, b in wanted:
        condition |= Q(source_a=a, source_b=b)
    return {(o.source_a_id, o.source_b_id): o for o in TextOverlap.objects.filter(condition)}


def _similarity(overlaps, source, other):
    found = overlaps.get((min(source.pk, other.pk), max(source.pk, other.pk)))
    if found is not None:
        return found.similarity
    # A pair a curator joined that detection never compared.
    return reprints.compare(reprints.shingles(source.text), reprints.shingles(other.text)).similarity


def versions_of_hits(sources) -> dict[int, list[Version]]:
    """For each hit, the other published versions of its group."""
    mates = _published_mates(sources)
    overlaps = _similarities((pk, other.pk) for pk, others in mates.items() for other in others)
    by_pk = {s.pk: s for s in sources}
    return {
        pk: [Version(other, _similarity(overlaps, by_pk[pk], other)) for other in others]
        for pk, others in mates.items()
        if pk in by_pk
    }


def related_texts(source) -> RelatedTexts:
    """One article's published versions and the published articles it shares passages with."""
    versions = versions_of_hits([source]).get(source.pk, [])
    version_pks = {v.source.pk for v in versions}
    overlaps = TextOverlap.objects.filter(Q(source_a=source.pk) | Q(source_b=source.pk))
    passages = []
    others = Source.objects.published().in_bulk([o.other(source.pk) for o in overlaps])
    for overlap in overlaps:
        other = others.get(overlap.other(source.pk))
        if other is None or other.pk in version_pks:
            continue
        passages.append(Passage(other, overlap.share_of(source.pk), overlap.share_of(other.pk)))
    return RelatedTexts(versions, _one_per_group(passages))


def _one_per_group(passages):
    """A passage quoted from a story reprinted five times is one entry: its version with
    the largest share (the leader on a tie), not five."""
    memberships = VersionMembership.objects.filter(source_id__in=[p.source.pk for p in passages])
    groups = dict(memberships.values_list("source_id", "group_id"))
    leaders = set(memberships.filter(leads=True).values_list("source_id", flat=True))
    passages.sort(key=lambda p: (-p.share, p.source.pk not in leaders, p.source.pk))
    seen, kept = set(), []
    for passage in passages:
        group = groups.get(passage.source.pk, ("alone", passage.source.pk))
        if group not in seen:
            seen.add(group)
            kept.append(passage)
    return kept


def _article_json(source, absolute_uri) -> dict:
    return {
        "slug": source.slug,
        "url": absolute_uri(source.get_absolute_url()),
        "title": source.title,
        "outlet": source.outlet,
        "published": source.published.isoformat() if source.published else None,
        "date_precision": source.date_precision,
    }


def version_json(version: Version, absolute_uri) -> dict:
    similarity = None if version.similarity is None else round(version.similarity, 3)
    return {**_article_json(version.source, absolute_uri), "similarity": similarity}


def passage_json(passage: Passage, absolute_uri) -> dict:
    return {
        **_article_json(passage.source, absolute_uri),
        "share": round(passage.share, 3),
        "their_share": round(passage.their_share, 3),
    }


def related_texts_json(source, absolute_uri) -> dict:
    """{"versions": [...], "shares_passages_with": [...]} for /api/sources/<slug>;
    `absolute_uri` is request.build_absolute_uri."""
    found = related_texts(source)
    return {
        "versions": [version_json(v, absolute_uri) for v in found.versions],
        "shares_passages_with": [passage_json(p, absolute_uri) for p in found.shares_passages_with],
    }
