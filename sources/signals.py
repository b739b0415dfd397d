from haystack.signals import RealtimeSignalProcessor


class OnCommitSignalProcessor(RealtimeSignalProcessor):
    pass
