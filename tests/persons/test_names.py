"""Names compared letter by letter, word by word (persons.names)."""

import random

from persons.names import letters_to_change, likeness, one_letter_away, words


def test_each_kind_of_typo_is_one_letter():
    assert letters_to_change("aiga", "aiga", 5) == 0
    assert letters_to_change("aiag", "aiga", 5) == 1  # two neighbours swapped
    assert letters_to_change("aig", "aiga", 5) == 1
    assert letters_to_change("aigaa", "aiga", 5) == 1
    assert letters_to_change("aiza", "aiga", 5) == 1
    assert letters_to_change("gaia", "aiga", 5) == 2
    assert letters_to_change("", "na", 5) == 2


def test_counting_stops_once_the_letters_exceed_the_bound():
    assert letters_to_change("kengakoro", "lomani", 2) == 3
    assert letters_to_change("kengakoro", "kengakorosi", 1) == 2
    assert letters_to_change("aiag", "aiga", 1) == 1


def _optimal_string_alignment(a: str, b: str) -> int:
    """The distance as the textbook's table gives it, every cell filled."""
    table = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


def test_the_letters_counted_are_the_textbook_distance_capped_at_the_bound():
    rng = random.Random(4)
    letters = "aeiklmnost"
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randrange(0, 9)))
        b = "".join(rng.choice(letters) for _ in range(rng.randrange(0, 9)))
        if rng.random() < 0.5 and a:
            # Two neighbours swapped (or the last letter moved): the swaps must count one.
            i = rng.randrange(len(a))
            b = a[:i] + a[i + 1 : i + 2] + a[i] + a[i + 2 :]
        bound = rng.randrange(0, 6)
        assert letters_to_change(a, b, bound) == min(_optimal_string_alignment(a, b), bound + 1)


def test_the_words_one_letter_away_are_those_one_typo_makes():
    near = one_letter_away("na")
    assert {"na", "a", "n", "an", "nna", "naa", "ne", "xna", "nax"} <= near
    assert "en" not in near
    assert all(letters_to_change(word, "chen", 1) <= 1 for word in one_letter_away("chen"))


def test_word_order_does_not_matter_and_every_typed_letter_counts():
    same = likeness(words("josefa ravulo"), "ravulo josefa")
    assert (same.similarity, same.letters_different) == (1.0, 0)
    typo = likeness(words("aiag malia aimao"), "aiga malia aimao")
    assert typo.letters_different == 1
    assert round(typo.similarity, 3) == round(1 - 1 / 14, 3)


def test_a_typed_word_the_record_lacks_costs_its_letters():
    missing = likeness(words("aiag malia aimao"), "malia aimao")
    assert missing.letters_different is None
    assert round(missing.similarity, 3) == round(1 - 4 / 14, 3)


def test_extra_words_cost_less_than_a_letter_but_still_order_records():
    exact = likeness(words("malia aimao"), "malia aimao")
    longer = likeness(words("malia aimao"), "aiga malia aimao")
    one_letter = likeness(words("malia aimao"), "malia aimoa")
    assert exact.similarity > longer.similarity
    assert longer.letters_different == 0
    assert one_letter.letters_different == 1


def test_an_alias_spelling_the_same_words_is_not_extra():
    aliased = likeness(
        words("salote losaline fuangatonga"),
        "salote losaline funangatonga salote losalien funangatonga",
    )
    other = likeness(words("salote losaline fuangatonga"), "salote losaline funaeatonga")
    assert aliased.letters_different == 1
    assert aliased.similarity > other.similarity


def test_nothing_typed_is_like_nothing():
    assert likeness([], "chen na").similarity == 0.0
