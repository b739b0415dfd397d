from django.core.management.base import BaseCommand

from sources.gazetteer_loader import load_gazetteer
from sources.models import Country, Organisation


class Command(BaseCommand):
    help = "Add the shipped countries and organisations that the curated tables lack (never overwrites)."

    def handle(self, *args, **options):
        countries, organisations = load_gazetteer(Country, Organisation)
        self.stdout.write(f"Added {countries} countries and {organisations} organisations.")
