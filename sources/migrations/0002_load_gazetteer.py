from django.db import migrations


def load(apps, schema_editor):
    from sources.gazetteer_loader import load_gazetteer

    load_gazetteer(apps.get_model("sources", "Country"), apps.get_model("sources", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
