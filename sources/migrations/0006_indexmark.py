from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0005_source_title_is_derived"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexMark",
            fields=[
                ("source_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("token", models.BigIntegerField(help_text="New at every change: a later change is never cleared.")),
            ],
        ),
    ]
