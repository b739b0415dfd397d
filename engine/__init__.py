"""The Archive's Whoosh search engine for haystack (see engine/backend.py)."""
