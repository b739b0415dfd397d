from django.db import migrations


def add_russian_names(apps, schema_editor):
    """Countries stored before the gazetteer had Russian names get them as other names
    (added to what curators wrote, never replacing it)."""
    from sources.ingest.gazetteer import load_default_gazetteer

    Country = apps.get_model("sources", "Country")
    shipped = {c.code: [a for a in c.aliases if any("а" <= ch.lower() <= "я" for ch in a)]
               for c in load_default_gazetteer().countries}
    for country in Country.objects.all():
        have = [line.strip() for line in country.aliases.splitlines() if line.strip()]
        missing = [name for name in shipped.get(country.code, []) if name not in have]
        if missing:
            country.aliases = "\n".join(have + missing)
            country.save(update_fields=["aliases"])


class Migration(migrations.Migration):
    dependencies = [("sources", "0010_person")]

    operations = [migrations.RunPython(add_russian_names, migrations.RunPython.noop)]
