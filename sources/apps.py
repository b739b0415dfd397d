from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Archive"

    def ready(self):
        from django.db.models import signals

        from . import aliases
        from .models import Country, Organisation, Person

        # Search-time aliases follow the curated names (sources/aliases.py).
        for model in (Country, Organisation, Person):
            signals.post_save.connect(aliases.names_changed, sender=model, dispatch_uid=f"names-{model.__name__}")
            signals.post_delete.connect(aliases.names_changed, sender=model, dispatch_uid=f"names-del-{model.__name__}")
