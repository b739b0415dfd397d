"""haystack's rebuild_index (clear, then fill: an empty archive meanwhile): `index build`."""

from haystack.management.commands.rebuild_index import Command as HaystackRebuildIndex

from sources.management.commands.index import replaced_by

Command = replaced_by(HaystackRebuildIndex, "build")
