"""Files are known by their path below the import folder, no longer by their name alone.

The stored names cannot be turned into paths here (the folder is not known): the existing
Sources are marked, and the importer takes each over by (name, position) the next time its
file is imported, setting its path. Nothing is duplicated or lost meanwhile."""

from django.db import migrations, models


def mark_base_names(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    Source.objects.update(source_file_is_base_name=True)


class Migration(migrations.Migration):
    dependencies = [("sources", "0003_source_outlet_index")]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="source_file",
            field=models.CharField(
                help_text="The file's path below the folder it was imported from.", max_length=1000
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="source_file_is_base_name",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_base_names, migrations.RunPython.noop),
    ]
