"""haystack's update_index (a searcher per document, no index marks): `index catch-up`."""

from haystack.management.commands.update_index import Command as HaystackUpdateIndex

from sources.management.commands.index import replaced_by

Command = replaced_by(HaystackUpdateIndex, "catch-up")
