"""flows.core.redact: a trace keeps its steps and loses every secret."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from flows.core import redact
from flows.core.credentials import Credentials, KeyCard

PASSWORD = "hemmelig æ&ø+1"
KEY = "620662"


def make_trace(path: Path) -> None:
    """A small trace as Playwright writes one: a fill per secret, a DOM snapshot, the posted form."""
    events = [
        {"type": "before", "method": "fill", "params": {"selector": "internal:label=Adgangskode", "value": PASSWORD}},
        {"type": "before", "method": "fill", "params": {"selector": "internal:label=Nøgle", "value": KEY}},
        {
            "type": "frame-snapshot",
            "snapshot": {"html": ["INPUT", {"__playwright_value_": PASSWORD, "type": "password"}]},
        },
        {"type": "frame-snapshot", "snapshot": {"html": ["P", {}, f"Kun til demo: nøglen er {KEY}."]}},
        {"type": "screencast-frame", "sha1": "page@1-1.jpeg", "width": 10, "height": 10},
        {"type": "before", "method": "click", "params": {"selector": 'internal:role=button[name="Næste"]'}},
    ]
    body = f"csrf_token=abc&bruger_id=admin&adgangskode={PASSWORD}".replace(" ", "+")
    network = {
        "type": "resource-snapshot",
        "snapshot": {
            "request": {
                "method": "POST",
                "headers": [{"name": "Cookie", "value": "session=s3cr3t"}, {"name": "Accept", "value": "text/html"}],
                "cookies": [{"name": "session", "value": "s3cr3t"}],
                "queryString": [],
                "postData": {
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": body,
                    "params": [
                        {"name": "csrf_token", "value": "abc"},
                        {"name": "bruger_id", "value": "admin"},
                        {"name": "adgangskode", "value": PASSWORD},
                    ],
                },
            },
            "response": {"status": 302, "headers": [{"name": "Set-Cookie", "value": "session=n3w"}], "cookies": []},
        },
    }
    with zipfile.ZipFile(path, "w") as trace:
        trace.writestr("trace.trace", "\n".join(json.dumps(event, ensure_ascii=False) for event in events) + "\n")
        trace.writestr("trace.network", json.dumps(network, ensure_ascii=False) + "\n")
        trace.writestr("resources/post.dat", body)
        trace.writestr("resources/page@1-1.jpeg", b"\xff\xd8\xff picture of the key")
        trace.writestr("resources/font.ttf", b"\x00\x01\x00\x00\xff binary")


def every_byte(path: Path) -> bytes:
    with zipfile.ZipFile(path) as trace:
        return b"\n".join(trace.read(name) for name in trace.namelist())


def test_a_trace_keeps_its_steps_and_loses_every_secret(tmp_path):
    trace = tmp_path / "trace.zip"
    make_trace(trace)
    redact.redact_trace(trace, [PASSWORD, KEY])
    data = every_byte(trace)
    for secret in (PASSWORD, KEY, "s3cr3t", "n3w"):
        for form in redact.spellings(secret):
            assert not redact.holds(data, form), form
    with zipfile.ZipFile(trace) as redacted:
        names = redacted.namelist()
        events = [json.loads(line) for line in redacted.read("trace.trace").decode().splitlines()]
        network = json.loads(redacted.read("trace.network"))
        assert redacted.read("resources/font.ttf") == b"\x00\x01\x00\x00\xff binary"  # binary left as it was
    assert "resources/page@1-1.jpeg" not in names  # a picture of a page cannot be redacted: dropped
    assert [event["method"] for event in events if event["type"] == "before"] == ["fill", "fill", "click"]
    assert events[0]["params"]["selector"] == "internal:label=Adgangskode"  # what was done stays readable
    params = {p["name"]: p["value"] for p in network["snapshot"]["request"]["postData"]["params"]}
    assert params == {"csrf_token": redact.MASK, "bruger_id": "admin", "adgangskode": redact.MASK}
    headers = {h["name"]: h["value"] for h in network["snapshot"]["request"]["headers"]}
    assert headers == {"Cookie": redact.MASK, "Accept": "text/html"}


def test_redacting_twice_changes_nothing(tmp_path):
    trace = tmp_path / "trace.zip"
    make_trace(trace)
    redact.redact_trace(trace, [PASSWORD, KEY])
    once = trace.read_bytes()
    redact.redact_trace(trace, [PASSWORD, KEY])
    assert trace.read_bytes() == once


def test_a_folder_of_traces(tmp_path):
    for name in ("a/trace.zip", "b/c/trace.zip"):
        (tmp_path / name).parent.mkdir(parents=True)
        make_trace(tmp_path / name)
    (tmp_path / "not-a-trace.zip").write_bytes(b"half written")
    assert len(redact.redact_folder(tmp_path, [PASSWORD, KEY])) == 2
    assert PASSWORD.encode() not in every_byte(tmp_path / "b/c/trace.zip")


def test_credentials_name_every_secret():
    card = KeyCard({"0427": "620662", "0001": "111111"})
    assert Credentials("admin", "pw", card).secrets() == ["pw", "620662", "111111"]
    demo = Credentials.demo()
    demo.key_for("0427", "620662")  # typed from the demo hint
    assert demo.secrets() == [demo.password, "620662"]
    assert "620662" not in repr(demo) and demo.password not in repr(demo)


def test_a_key_inside_a_longer_number_is_another_number():
    """A 6-digit key also stands inside timestamps ("wallTime":1796233764000): that is not the key,
    so it is neither masked (the trace keeps its times) nor taken for a leak."""
    text = '{"wallTime":1796233764000,"value":"233764"}'
    assert redact.redact_text(text, ["233764"]) == '{"wallTime":1796233764000,"value":"' + redact.MASK + '"}'
    assert not redact.holds(b'"wallTime":1796233764000', "233764")
    assert redact.holds(b'"value":"233764"', "233764")
    assert redact.holds(b"nemid-demo2", "nemid-demo")  # other secrets: any occurrence
