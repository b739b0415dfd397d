from django.core.management.base import BaseCommand

from sources.gazetteer_loader import load_gazetteer, load_people
from sources.models import Country, Organisation, Person


class Command(BaseCommand):
    help = "Add the shipped countries, organisations and people that the curated tables lack (never overwrites)."

    def handle(self, *args, **options):
        countries, organisations = load_gazetteer(Country, Organisation)
        people = load_people(Person)
        self.stdout.write(f"Added {countries} countries, {organisations} organisations and {people} people.")
