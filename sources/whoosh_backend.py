from haystack.backends.whoosh_backend import WhooshEngine


class ArchiveWhooshEngine(WhooshEngine):
    pass
