"""mock_portal.keys: search folding, Danish alphabetical order, the short searches' terms."""

import unicodedata

import pytest

from mock_portal.keys import danish_key, fold, short_terms


def test_fold_and_danish_order():
    assert fold("SØREN Kjærgård") == fold("soren kjaergaard") == "soren kjaergaard"
    assert fold("Élise") == "elise"
    assert sorted(["Åge", "Zack", "Ægir", "Østen", "anna"], key=danish_key) == ["anna", "Zack", "Ægir", "Østen", "Åge"]


def test_danish_order_reads_aa_as_aa_letter():
    """'Aa' is the old spelling of 'Å' and sorts with it, after Z (Aagaard after Zeuthen)."""
    names = ["Aagaard", "Zeuthen", "Åberg", "Abel", "Kraag", "Krag", "Ørsted"]
    assert sorted(names, key=danish_key) == ["Abel", "Krag", "Kraag", "Zeuthen", "Ørsted", "Åberg", "Aagaard"]


def test_danish_order_of_a_decomposed_aa_letter():
    """A decomposed å (a + ring, pasted from other systems) sorts as å, not as a."""
    assert danish_key(unicodedata.normalize("NFD", "Åse")) == danish_key("Åse")
    assert sorted([unicodedata.normalize("NFD", "Åse"), "Zack", "Anna"], key=danish_key)[0] == "Anna"


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("SØREN", "Søren"),
        ("søren", "Søren"),
        ("soren", "Søren"),
        ("moller", "Møller"),
        ("MØLLER", "Møller"),
        ("ae", "æ"),
        ("Æ", "ae"),
        ("laerke", "Lærke"),
        ("aa", "å"),
        ("Aagaard", "Ågård"),
        ("elise", "Élise"),
    ],
)
def test_fold_makes_danish_spellings_meet(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_keeps_different_names_apart():
    assert fold("Hansen") != fold("Jensen")
    assert fold("Mette") != fold("Mads")


@pytest.mark.parametrize("empty", [None, ""])
def test_fold_of_nothing(empty):
    assert fold(empty) == ""


def test_short_terms_are_nothing_and_the_distinct_one_and_two_letter_pieces():
    assert short_terms("abab") == ["", "a", "ab", "b", "ba"]  # '': the list without a search
    assert short_terms("") == [""] and short_terms(None) == [""]
    assert short_terms(fold("Ø")) == ["", "o"]
