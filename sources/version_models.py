"""Versions (reprints of one article) and shared passages: what detection stores
(sources/versions.py) and what the curator decides.

Imported at the end of sources/models.py, so that Django finds these models."""

from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver


class VersionGroup(models.Model):
    """Sources whose texts are nearly the same: one story reprinted, mirrored or reposted."""

    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Version group {self.pk}"


class VersionMembership(models.Model):
    """A Source's place in a version group (a Source in no group has no row).

    `leads`: the group's earliest dated PUBLISHED member (ties: the first imported), kept
    up to date by sources.versions.refresh_leaders before any member is indexed; the
    search index shows only leaders when versions are collapsed. A Source in no group
    leads itself. `curated`: a curator placed it (split or join); detection never moves it."""

    source = models.OneToOneField(
        "sources.Source", primary_key=True, on_delete=models.CASCADE, related_name="version"
    )
    group = models.ForeignKey(VersionGroup, on_delete=models.CASCADE, related_name="members")
    leads = models.BooleanField(default=False)
    curated = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.source_id} in {self.group_id}"


class PassageKey(models.Model):
    """One sampled shingle of a Source's text (sources.ingest.reprints.keys): the table
    that gives a new article its candidate versions and passages in one indexed look-up.

    Keyed by (key, source): the look-up by key reads the primary key's index alone, and
    an import writes ~40 rows per article into two indexes (this and the source's)."""

    pk = models.CompositePrimaryKey("key", "source")
    key = models.BigIntegerField()
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")


class TextOverlap(models.Model):
    """Two Sources with text in common, measured exactly; source_a has the lower pk.
    Versions of each other when they are in one VersionGroup, otherwise they share a
    passage (seed 000 quotes a fifth of seed 004)."""

    source_a = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")
    source_b = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")
    share_a = models.FloatField(help_text="Of source_a's text, the part also in source_b (0-1).")
    share_b = models.FloatField(help_text="Of source_b's text, the part also in source_a (0-1).")
    similarity = models.FloatField(help_text="Jaccard similarity of the two texts' word 5-grams.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_a", "source_b"], name="unique_text_overlap"),
            models.CheckConstraint(condition=models.Q(source_a__lt=models.F("source_b")), name="text_overlap_ordered"),
        ]
        indexes = [models.Index(fields=["source_b"])]

    def share_of(self, source_pk):
        return self.share_a if source_pk == self.source_a_id else self.share_b

    def other(self, source_pk):
        return self.source_b_id if source_pk == self.source_a_id else self.source_a_id


@receiver(pre_delete, sender="sources.Source", dispatch_uid="versions_leave_group")
def _reindex_the_group_of_a_deleted_source(sender, instance, **kwargs):
    """Its group may lose its leader: the other members are indexed again once the delete
    is committed (Django deletes inside a transaction), their leader chosen afresh."""
    from .signals import touch

    mates = VersionMembership.objects.filter(group__members__source=instance.pk).exclude(source=instance.pk)
    touch(*mates.values_list("source_id", flat=True))
