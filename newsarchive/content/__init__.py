"""The read stage: article files in, ``Article`` objects (or located problems) out."""
