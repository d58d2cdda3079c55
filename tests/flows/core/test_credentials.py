"""Credentials: from the environment only, and never shown."""

import pytest

from flows.core.credentials import Credentials, KeyCard
from flows.errors import CredentialsError

SECRET = "s3cret-Pässword"


def test_from_env_reads_user_password_and_defaults_to_the_demo_hint():
    creds = Credentials.from_env({"SESAG_USER": "admin", "SESAG_PASSWORD": SECRET})
    assert creds.user == "admin" and creds.password == SECRET
    assert creds.uses_demo_hint
    assert creds.key_for("0427", "123456") == "123456"


@pytest.mark.parametrize("missing", ["SESAG_USER", "SESAG_PASSWORD"])
def test_missing_variable_is_named(missing):
    env = {"SESAG_USER": "admin", "SESAG_PASSWORD": SECRET}
    del env[missing]
    with pytest.raises(CredentialsError, match=missing):
        Credentials.from_env(env)


def test_secrets_never_in_repr_or_str():
    card = KeyCard({"0427": "918273"})
    creds = Credentials("admin", SECRET, card)
    for text in (repr(creds), str(creds), f"{creds}", repr(card), str([creds])):
        assert SECRET not in text
        assert "918273" not in text
    assert "admin" in repr(creds)


def test_keycard_file(tmp_path):
    path = tmp_path / "card.txt"
    path.write_text("# my card\n0427 918273\n1234 111111  # trailing comment\n\n", encoding="utf-8")
    creds = Credentials.from_env({"SESAG_USER": "u", "SESAG_PASSWORD": "p", "SESAG_KEYCARD": str(path)})
    assert not creds.uses_demo_hint
    assert creds.key_for("0427", demo_key="999999") == "918273"  # the card wins over any hint
    assert creds.key_for("1234", None) == "111111"
    with pytest.raises(CredentialsError, match="no key for code 5555"):
        creds.key_for("5555", None)


def test_bad_keycard_line_is_named_by_number_not_by_content(tmp_path):
    path = tmp_path / "card.txt"
    path.write_text("0427 918273\n0428 12345678901\n", encoding="utf-8")
    with pytest.raises(CredentialsError) as info:
        KeyCard.from_file(path)
    assert "line 2" in str(info.value)
    assert "12345678901" not in str(info.value)


def test_unreadable_keycard_file(tmp_path):
    with pytest.raises(CredentialsError, match="cannot read the key-card file"):
        Credentials.from_env({"SESAG_USER": "u", "SESAG_PASSWORD": "p", "SESAG_KEYCARD": str(tmp_path / "nope")})


def test_demo_hint_missing_is_a_clear_error():
    with pytest.raises(CredentialsError, match="no demo key"):
        Credentials.demo().key_for("0427", None)


def test_demo_credentials():
    demo = Credentials.demo()
    assert demo.user == "admin" and demo.password == "nemid-demo" and demo.uses_demo_hint
    assert "nemid-demo" not in repr(demo)
