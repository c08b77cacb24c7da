"""The benchmark (see run.py): newsarchive against Hugo + Pagefind, Pelican and plain lunr."""
