"""Pages per country, organisation, person and outlet: /<kind>/ lists them with article counts,
/<kind>/<slug>/ gathers what the archive knows about one, /api/<kind>/<slug> the same as
JSON. The kinds are declared in sources/entity_kinds.py; the numbers come from the search
service (sources/search.py, entity_profile) and count published articles only."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import search as search_service
from .entity_kinds import BY_FACET, BY_WORD, KINDS

MAX_FILTER_CHARS = 100
#: Entries listed on /<kind>/, most articles first: people alone run to thousands; the
#: filter box finds the rest.
LISTED = 300


def _profiled(kind_word, slug):
    """(kind, entity, its EntityProfile), or 404."""
    kind = BY_WORD.get(kind_word)
    entity = kind.find(slug) if kind else None
    if entity is None:
        raise Http404("No such entry.")
    profile = search_service.entity_profile(kind.facet, entity.name, mentioned_with=[k.facet for k in KINDS])
    return kind, entity, profile


def _linked(pairs, facet):
    """[(name, articles, entity page or None)] for the mentioned-with lists."""
    kind = BY_FACET.get(facet)
    found = {e.name: e for e in kind.model.objects.filter(name__in=[name for name, _ in pairs])} if kind else {}
    return [
        (name, count, f"/{kind.word}/{kind.slug_of(found[name])}/" if name in found else None)
        for name, count in pairs
    ]


@require_safe
def entity_list(request, kind_word):
    kind = BY_WORD[kind_word]
    name_contains = request.GET.get("q", "").strip()[:MAX_FILTER_CHARS]
    listed, more = kind.most_mentioned(search_service.articles_per_value(kind.facet), name_contains, LISTED)
    entities = [(entity, kind.slug_of(entity), articles) for entity, articles in listed]
    context = {"kind": kind, "entities": entities, "q": name_contains, "more": more}
    return render(request, "sources/entity_list.html", context)


@require_safe
def entity_detail(request, kind_word, slug):
    kind, entity, profile = _profiled(kind_word, slug)
    context = {
        "kind": kind,
        "entity": entity,
        "slug": kind.slug_of(entity),
        "profile": profile,
        "mentioned_with": [
            (other, _linked(profile.mentioned_with[other.facet], other.facet)) for other in KINDS
        ],
    }
    return render(request, "sources/entity_detail.html", context)


@require_safe
def entity_api(request, kind_word, slug):
    kind, entity, profile = _profiled(kind_word, slug)
    data = {
        "kind": kind.word,
        "slug": kind.slug_of(entity),
        "name": entity.name,
        "other_names": entity.alias_list,
        "description": getattr(entity, "description", ""),
        "url": request.build_absolute_uri(f"/{kind.word}/{kind.slug_of(entity)}/"),
        "articles": profile.total,
        "by_year": {str(bar.year): bar.count for bar in profile.timeline if bar.count},
        "mentioned_with": {
            other.word: [{"name": n, "articles": c} for n, c in profile.mentioned_with[other.facet]]
            for other in KINDS
        },
        "latest": [
            {"slug": s.slug, "title": s.title, "url": request.build_absolute_uri(s.get_absolute_url()),
             "published": s.published.isoformat() if s.published and s.publication_year else None}
            for s in profile.latest
        ],
        "search": request.build_absolute_uri("/api/search?" + profile.search_querystring),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
