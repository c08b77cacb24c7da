"""Related articles, computed at build time: for each article, the others most similar to it
(the cosine of TF-IDF vectors of words and tags, see :mod:`.tfidf`), and in ``serve`` made
again only where their inputs changed (:mod:`.update`)."""

from .update import RelatedCache, related_articles, related_rows

__all__ = ["RelatedCache", "related_articles", "related_rows"]
