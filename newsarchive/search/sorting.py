"""The orders search results can be shown in: one list for the command line, the search
page's select and search-core.js (which gets it when its parts are joined)."""

from __future__ import annotations

# Each order and how the search page names it; the first is the default.
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
SORTS = tuple(SORT_LABELS)
