from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0004_harden_file_identity'),
    ]

    operations = [
        migrations.AddField(
            model_name='source',
            name='title_is_derived',
            field=models.BooleanField(default=False, help_text='The article had no headline: its first sentence stands in. Untick to confirm it as the title, or write a better one.', verbose_name='title derived from the text'),
        ),
    ]
