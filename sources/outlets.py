"""Which curated Outlet a Source's outlet text names: its canonical name or one of its other
names, compared without case or extra spaces ("RFE/RL" = "Radio Free Europe/Radio
Liberty" once a curator says so). A name no Outlet has becomes a new Outlet, so every
publisher is there for curators to rename and merge."""

from django.apps import apps

# The region's wire services and outlets that go by several names; every other outlet a
# Source names becomes an Outlet of its own, for curators to edit.
STARTER_OUTLETS = {
    "Radio Free Europe/Radio Liberty": ["RFE/RL", "RFERL", "Radio Free Europe", "Radio Liberty"],
    "The Times of Central Asia": ["TCA", "Times of Central Asia"],
    "Eurasianet": ["EurasiaNet", "Eurasianet.org"],
    "Agence France-Presse": ["AFP", "Agence France Presse"],
    "Associated Press": ["AP", "The Associated Press"],
    "Reuters": ["Thomson Reuters"],
    "Institute for War and Peace Reporting": ["IWPR"],
    "Asia-Plus": ["Asia Plus", "ASIA-Plus"],
    "AKIpress": ["AKI Press", "AKIpress News Agency"],
    "24.kg": ["24.kg news agency"],
}


def ensure_starter_outlets() -> None:
    """The shipped outlets and their other names (the migration loads them; so do tests
    after a database flush)."""
    Outlet = apps.get_model("sources", "Outlet")
    for name, aliases in STARTER_OUTLETS.items():
        Outlet.objects.get_or_create(name=name, defaults={"aliases": "\n".join(aliases)})


def normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


def alias_table() -> dict[str, int]:
    """{normalised name or other name: Outlet pk}; a canonical name wins over an alias."""
    table = {}
    outlets = apps.get_model("sources", "Outlet").objects.only("pk", "name", "aliases")
    for outlet in outlets:
        for alias in outlet.alias_list:
            table.setdefault(normalise(alias), outlet.pk)
    for outlet in outlets:
        table[normalise(outlet.name)] = outlet.pk
    return table


def link(sources, table=None) -> None:
    """Set each Source's outlet_entity from its outlet text (in memory; the caller saves).
    The alias table is read once, and only when some Source names an outlet."""
    Outlet = apps.get_model("sources", "Outlet")
    for source in sources:
        key = normalise(source.outlet)
        if not key:
            source.outlet_entity_id = None
            continue
        table = alias_table() if table is None else table
        if key not in table:
            table[key] = Outlet.objects.get_or_create(name=" ".join(source.outlet.split())[:200])[0].pk
        source.outlet_entity_id = table[key]


def relink(outlet, old_names=()) -> list[int]:
    """After a curator renamed an outlet, changed its other names or merged others into it:
    link again the Sources it or those names concern; the pks whose outlet changed."""
    from django.db.models import Q

    Source = apps.get_model("sources", "Source")
    names = {outlet.name, *outlet.alias_list, *old_names}
    concerned = Q(outlet_entity=outlet)
    for name in names:
        concerned |= Q(outlet__iexact=name)
    table = alias_table()
    moved = {}  # new outlet pk -> the pks of the Sources that go to it
    for source in Source.objects.filter(concerned).only("pk", "outlet", "outlet_entity_id"):
        before = source.outlet_entity_id
        link([source], table)
        if source.outlet_entity_id != before:
            moved.setdefault(source.outlet_entity_id, []).append(source.pk)
    for outlet_pk, pks in moved.items():
        Source.objects.filter(pk__in=pks).update(outlet_entity_id=outlet_pk)
    return [pk for pks in moved.values() for pk in pks]


def shadowed_by(outlet) -> list:
    """Other Outlets whose canonical name this outlet now lists as another name of its own:
    a curator who adds "Radio Ozodi" to RFE/RL means the outlet made from that name."""
    wanted = {normalise(alias) for alias in outlet.alias_list}
    others = apps.get_model("sources", "Outlet").objects.exclude(pk=outlet.pk)
    return [other for other in others if normalise(other.name) in wanted]
