from django.db import migrations


def add_demonyms(apps, schema_editor):
    """Countries the shipped list does not curate get their demonym as another name
    ("a Swiss national" names Switzerland), added to what curators wrote. A new database
    has them from the start (load_gazetteer)."""
    from sources.ingest.gazetteer import demonyms  # none for a curated country

    Country = apps.get_model("sources", "Country")
    for country in Country.objects.all():
        have = [line.strip() for line in country.aliases.splitlines() if line.strip()]
        missing = [name for name in demonyms(country.code) if name not in have]
        if missing:
            country.aliases = "\n".join(have + missing)
            country.save(update_fields=["aliases"])


class Migration(migrations.Migration):
    dependencies = [("sources", "0015_about_country_passing")]

    operations = [migrations.RunPython(add_demonyms, migrations.RunPython.noop)]
