from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0007_importjob"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="original_url",
            field=models.URLField(blank=True, help_text="Where the article was published on the web (the page's canonical address, or the address a web archive captured).", max_length=2000, verbose_name="original address"),
        ),
        migrations.AddField(
            model_name="source",
            name="captured_at",
            field=models.DateTimeField(blank=True, help_text="When a web archive captured the page (not its publication date).", null=True, verbose_name="captured"),
        ),
    ]
