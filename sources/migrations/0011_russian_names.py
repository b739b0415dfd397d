from django.db import migrations


def _cyrillic(name):
    return any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in name)


def _add_missing(rows, shipped):
    for row in rows:
        have = [line.strip() for line in row.aliases.splitlines() if line.strip()]
        missing = [name for name in shipped.get(row.key, []) if name not in have]
        if missing:
            row.aliases = "\n".join(have + missing)
            row.save(update_fields=["aliases"])


def add_russian_names(apps, schema_editor):
    """Countries and organisations stored before the gazetteer had Russian names get them
    as other names (added to what curators wrote, never replacing it)."""
    from sources.ingest.gazetteer import load_default_gazetteer

    gazetteer = load_default_gazetteer()
    Country = apps.get_model("sources", "Country")
    Organisation = apps.get_model("sources", "Organisation")
    countries = {c.code: [a for a in c.aliases if _cyrillic(a)] for c in gazetteer.countries}
    organisations = {o.name: [a for a in o.aliases if _cyrillic(a)] for o in gazetteer.organisations}
    _add_missing([_keyed(c, c.code) for c in Country.objects.all()], countries)
    _add_missing([_keyed(o, o.name) for o in Organisation.objects.all()], organisations)


def _keyed(row, key):
    row.key = key
    return row


class Migration(migrations.Migration):
    dependencies = [("sources", "0010_person")]

    operations = [migrations.RunPython(add_russian_names, migrations.RunPython.noop)]
