"""Stop words: lunr.js's English list (what the search index drops, exactly), and a longer
list of words that say little of what an article is about (for found tags and related
articles)."""

from __future__ import annotations

# lunr.stopWordFilter's list, in lunr.js's order.
# fmt: off
LUNR_STOP_WORDS: frozenset[str] = frozenset(
    (
        "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an",
        "and", "any", "are", "as", "at", "be", "because", "been", "but", "by", "can", "cannot",
        "could", "dear", "did", "do", "does", "either", "else", "ever", "every", "for", "from",
        "get", "got", "had", "has", "have", "he", "her", "hers", "him", "his", "how", "however",
        "i", "if", "in", "into", "is", "it", "its", "just", "least", "let", "like", "likely",
        "may", "me", "might", "most", "must", "my", "neither", "no", "nor", "not", "of", "off",
        "often", "on", "only", "or", "other", "our", "own", "rather", "said", "say", "says",
        "she", "should", "since", "so", "some", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "tis", "to", "too", "twas", "us", "wants", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "yet", "you", "your",
    )
)
# fmt: on

# Words capitalised at the start of a sentence, as months and days, or in headlines:
# lunr's stop words and more.
STOP_WORDS = LUNR_STOP_WORDS | frozenset(
    """above according added afterwards again against ago along already although always
    another anyone anything apr april around asked aug august back before being below
    besides between big billion both day days dec december doing done down during each
    eight end enough even everyone everything feb february few first five following four
    fri friday further furthermore good great having hence here herself high himself
    hundred including indeed instead itself jan january jul july jun june last later
    less lot low many mar march meanwhile million mon monday month months more moreover
    much myself never nevertheless new next nine none nothing nov november now oct
    october old once one others otherwise ours ourselves out over part people per
    perhaps please quite really same sat saturday second sep sept september seven
    several shall six small someone something sometimes somewhere soon still such sun
    sunday ten theirs themselves thereafter therefore thing things third those though
    thousand three through thu thursday thus time times today together told tomorrow
    total toward towards tue tuesday two under unless until up upon very via way wed
    wednesday week weeks well whatever whenever whereas whether whoever whole whose
    within without year years yes yesterday yours yourself yourselves""".split()
)
