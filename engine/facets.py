"""Facet counts in haystack's structure, from Whoosh's groups or from bitsets."""


def count_facets(leaves, matches, names):
    """{facet: {value: count}}: popcounts of each segment's matches & value-set."""
    groups = {}
    for name in names:
        counts = {}
        for leaf, bits in zip(leaves, matches):
            if not bits:
                continue
            for value, value_bits in leaf.facet_sets(name):
                n = (bits & value_bits).bit_count()
                if n:
                    counts[value] = counts.get(value, 0) + n
        groups[name] = counts
    return groups


def whoosh_facets(raw_page, facet_types):
    """The facets of a Whoosh results page (its groups) in haystack's structure."""
    groups = {name: raw_page.results.groups(name) for name in raw_page.results.facet_names()}
    return format_facets(groups, facet_types)


def format_facets(groups, facet_types):
    """{name: {value: count}} -> haystack's facet structure, no None bucket."""
    facets = {"fields": {}, "dates": {}, "queries": {}}
    if not facet_types:
        return {}
    for name, group in groups.items():
        facets[facet_types[name]][name] = sorted(
            ((k, v) for k, v in group.items() if k not in (None, "", "None")),
            key=lambda kv: (-kv[1], kv[0]),
        )
    return facets
