"""The render stage: the archive model in, pages, feeds and the sitemap out."""
