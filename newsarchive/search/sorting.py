"""The orders search results can be shown in: one list for the command line, the search
page's select and search-core.js (which gets it when its parts are joined)."""

from __future__ import annotations

SORTS = ("relevance", "newest", "oldest")
