"""mock_portal/rights.py, pure: the catalogue tree, its info texts, the one-AES-right rule, the
event texts of a change. (The page that uses it: test_portal_rights_page.py.)"""

import pytest

from mock_portal import rights

SAG, KOM = "aes.sagsbehandler", "aes.kommunal_sagsbehandler"


def test_catalogue_tree_as_in_the_guide():
    top = [node.label for node in rights.RIGHTS_TREE]
    assert top == ["Offentlige", "Forsikringer", "Finans"]
    offentlige = rights.RIGHTS_TREE[0]
    assert [child.label for child in offentlige.children] == [
        "Landsbyggefonden",
        "Arbejdsmarkedets Erhvervssikring",
        "Socialministeriet",
    ]
    aes = offentlige.children[1]
    assert aes.open and offentlige.open
    assert [(r.id, r.label) for r in aes.rights] == [(SAG, "Sagsbehandler"), (KOM, "Kommunal sagsbehandler")]


def test_info_texts_are_the_guides_words():
    known = rights.all_rights()
    assert known[SAG].info.startswith("Sagsbehandler rettigheden skal anvendes til medarbejdere i fagforbund")
    assert known[KOM].info.startswith(
        "Kommunal sagsbehandler rettigheden skal anvendes til medarbejdere ansat i kommunalt jobcenter"
    )


def test_other_services_carry_rights_too():
    services = {rights.service_of(right_id).label for right_id in rights.all_rights()}
    assert {"Landsbyggefonden", "Socialministeriet", "Forsikringer", "Finans"} <= services
    assert len(rights.all_rights()) == len(set(rights.all_rights()))


@pytest.mark.parametrize("chosen", [set(), {SAG}, {KOM}, {SAG, "lbf.indberetter"}, {KOM, "finans.betaler"}])
def test_rule_allows_at_most_one_aes_right(chosen):
    assert rights.validate(chosen) == chosen


def test_rule_refuses_both_aes_rights():
    with pytest.raises(rights.RightsRuleError) as refused:
        rights.validate({SAG, KOM, "lbf.indberetter"})
    assert (
        str(refused.value)
        == "En medarbejder kan højst have én af rettighederne Sagsbehandler og Kommunal sagsbehandler."
    )


def test_rule_refuses_unknown_rights():
    with pytest.raises(rights.RightsRuleError, match="Ukendt rettighed: aes.superbruger"):
        rights.validate({"aes.superbruger"})


def test_describe_change():
    texts = rights.describe_change({KOM}, {SAG})
    assert texts == [
        "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Sagsbehandler",
        "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler",
    ]
    assert rights.describe_change({SAG}, {SAG}) == []
