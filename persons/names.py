"""How far a typed name is from a recorded one, word by word, in letters: what an officer
means by "one letter different", and what trigrams miss in a short word ("Aiag" for "Aiga"
shares one trigram of five).

Both names are compared as ``name_key`` holds them (lowercased, unaccented) and split into
words, so that word order does not matter; each typed word is paired with the closest word
of the record, and the letters to change (inserted, dropped, replaced, or two swapped) are
counted."""

import re
import string
from collections import Counter
from dataclasses import dataclass

from rapidfuzz.distance import OSA

# What separates words in a name key; the same pattern splits PersonName.words in SQL.
WORD_SEPARATOR = r"[^[:alnum:]]+"
_WORD = re.compile(r"[^\W_]+")
# The letters tried in place of or beside each typed letter when looking for the words one
# letter away (name keys are unaccented).
_ALPHABET = string.ascii_lowercase


@dataclass(frozen=True)
class Likeness:
    """``similarity`` from 0 to 1, and how many letters of the typed words differ from the
    record's words paired with them (``None`` when a typed word has no counterpart)."""

    similarity: float
    letters_different: int | None


def similarity_sql(typed: str, recorded: str) -> str:
    """How alike two name keys are, 0 to 1, as SQL over two SQL expressions: the mean of
    pg_trgm's word similarity of ``typed`` in ``recorded`` (the best-matching stretch of the
    record's names, so that an alias or a missing middle name costs little) and their plain
    similarity (the whole, so that, of two records equally close, the one with nothing extra
    ranks first). Both compare sets of trigrams word by word, so word order does not matter.
    The match shows it, and the duplicate pairs store it."""
    return f"(word_similarity({typed}, {recorded}) + similarity({recorded}, {typed})) / 2"


def words(key: str) -> list[str]:
    return _WORD.findall(key)


def one_letter_away(word: str) -> set[str]:
    """Every word one insertion, deletion, replacement or swap of two neighbouring letters
    from ``word``, and the word itself: about 54 per letter."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {word}
    for left, right in splits:
        if right:
            found.add(left + right[1:])
            found.update(left + letter + right[1:] for letter in _ALPHABET)
        if len(right) > 1:
            found.add(left + right[1] + right[0] + right[2:])
        found.update(left + letter + right for letter in _ALPHABET)
    found.discard("")
    return found


def letters_to_change(typed: str, recorded: str, at_most: int) -> int:
    """The optimal string alignment distance (insertions, deletions, replacements and swaps
    of two neighbouring letters, each counting one), or ``at_most + 1`` as soon as it is
    sure to exceed ``at_most``: most pairs of a pool are far apart, and stop early. Counted
    in C (RapidFuzz): a pool of names asks for hundreds of pairs a match."""
    return OSA.distance(typed, recorded, score_cutoff=at_most)


def _spelling_of(other: str, word: str) -> bool:
    allowed = max(1, len(word) // 4)
    return other == word or letters_to_change(word, other, allowed) <= allowed


def likeness(typed_words: list[str], recorded_key: str) -> Likeness:
    """How alike a typed name and a record's name key are.

    Identical words pair first; each remaining typed word then pairs with the remaining
    recorded word fewest letters away (closest pairs first), and a typed word with no
    counterpart closer than its own length costs all its letters. The similarity is the mean
    of two shares, as the trigram similarity it replaces was: of the typed letters, those
    unchanged (an alias or a middle name the officer did not type costs nothing), and of all
    letters, typed and left over in the record, other spellings of the typed words aside (of
    two records equally close, the one with nothing extra ranks first)."""
    typed_letters = sum(map(len, typed_words))
    if not typed_letters:
        return Likeness(0.0, None)
    recorded = Counter(words(recorded_key))
    unpaired = []
    for word in typed_words:
        if recorded[word]:
            recorded[word] -= 1
        else:
            unpaired.append(word)
    left = list(recorded.elements())
    changes, paired = 0, 0
    if unpaired:
        # A typed word as far from every recorded word as its own length pairs with none.
        pairs = sorted(
            (letters_to_change(word, other, len(word) - 1), i, j)
            for i, word in enumerate(unpaired)
            for j, other in enumerate(left)
        )
        used_typed, used_recorded = set(), set()
        for distance, i, j in pairs:
            if i in used_typed or j in used_recorded or distance >= len(unpaired[i]):
                continue
            used_typed.add(i)
            used_recorded.add(j)
            changes += distance
        paired = len(used_typed)
        changes += sum(len(word) for i, word in enumerate(unpaired) if i not in used_typed)
        left = [word for j, word in enumerate(left) if j not in used_recorded]
    # A recorded word that is another spelling of a typed word (an alias "Losalien" beside
    # "Losaline") says nothing the officer left out.
    extra = sum(
        len(other) for other in left if not any(_spelling_of(other, word) for word in typed_words)
    )
    typed_share = 1 - changes / typed_letters
    whole_share = 1 - (changes + extra) / (typed_letters + extra)
    return Likeness(
        similarity=max(0.0, (typed_share + whole_share) / 2),
        letters_different=changes if paired == len(unpaired) else None,
    )
