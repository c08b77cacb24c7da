#!/usr/bin/env python3
"""Entry point: `python build.py [build|serve|search|export-docs|export-index] --help`."""

from newsarchive.cli import main

if __name__ == "__main__":
    main()
