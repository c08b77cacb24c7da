"""The plain alternative: one monolithic lunr index of every article, built with stock lunr.py.

Run as a child process by the benchmark (so its time and peak RSS are its own):
``python plain_lunr.py documents.jsonl index.json``. Same fields and boosts as newsarchive's
index (title x10, body, tags), URL refs, no other processing: what a site that just
"adds lunr" would ship.
"""

from __future__ import annotations

import json
import sys

from lunr import lunr


def main(documents_path: str, index_path: str) -> None:
    with open(documents_path, encoding="utf-8") as f:
        documents = [json.loads(line) for line in f]
    index = lunr(
        ref="url",
        fields=[{"field_name": "title", "boost": 10}, "body", "tags"],
        documents=documents,
    )
    with open(index_path, "w", encoding="utf-8") as f:
        json.dump(index.serialize(), f, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
