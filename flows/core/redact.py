"""Keep secrets out of the artefacts a run leaves: Playwright traces above all.

A Playwright trace records what a person would never write down: the value of every ``fill``
(the password, the key-card key), the DOM of every snapshot (a password field's value, the demo
key hint), and the network log (the posted log-in form, the session cookie). ``redact_trace``
rewrites a trace zip in place so that none of that is left, and keeps everything else the trace
viewer needs to show the steps: actions, selectors, snapshots, the other requests.

What goes:
- every spelling of every secret given (as typed, URL-encoded, JSON- and HTML-escaped) in every
  text member of the zip, replaced by ``MASK``;
- the values of ``Cookie``, ``Set-Cookie`` and ``Authorization`` headers, of cookies, and of
  posted form fields whose name says they hold a secret (``SECRET_FIELD``);
- screencast frames (pictures of the pages, which may show a key the page printed): the DOM
  snapshots show the same pages as text, and text can be redacted.

``ArtefactRedactor`` is a pytest plugin that does this to every trace pytest-playwright keeps
(``--tracing``), after each test and at the end of the session.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

MASK = "[hidden]"
# Posted form fields and query parameters whose value is a secret, by name.
SECRET_FIELD = re.compile(r"pass|adgangskode|noegle|nøgle|key|token|csrf|secret|session", re.IGNORECASE)
SECRET_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
# A member that marks a trace as redacted, so a second pass knows it has nothing to do.
REDACTED_MARK = "sesag-redacted"


def spellings(secret: str) -> set[str]:
    """``secret`` as it may stand in a trace: typed, URL-encoded, JSON- and HTML-escaped."""
    forms = {secret, quote_plus(secret), quote(secret, safe=""), html.escape(secret)}
    forms |= {json.dumps(form, ensure_ascii=False)[1:-1] for form in list(forms)}
    forms |= {json.dumps(form)[1:-1] for form in list(forms)}
    return {form for form in forms if form}


def _pattern(form: str) -> str:
    """Where ``form`` stands as itself: a number (a key) not inside a longer number, such as the
    trace's timestamps; anything else wherever it stands."""
    escaped = re.escape(form)
    return rf"(?<![0-9]){escaped}(?![0-9])" if form.isdigit() else escaped


def holds(data: bytes, form: str) -> bool:
    """Whether ``data`` holds the spelling ``form`` of a secret (as ``redact_text`` finds it)."""
    return re.search(_pattern(form).encode(), data) is not None


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every spelling of every secret replaced by MASK (longest first)."""
    forms = sorted({form for secret in secrets if secret for form in spellings(secret)}, key=len, reverse=True)
    for form in forms:
        text = re.sub(_pattern(form), MASK, text)
    return text


def _redact_pairs(pairs: list, secret_names: bool) -> None:
    for pair in pairs:
        if (
            isinstance(pair, dict)
            and "value" in pair
            and (not secret_names or SECRET_FIELD.search(pair.get("name", "")))
        ):
            pair["value"] = MASK


def _redact_entry(entry: dict) -> None:
    """One HAR entry of the network log: headers, cookies and secret form fields blanked."""
    for side in ("request", "response"):
        message = entry.get(side) or {}
        headers = [h for h in message.get("headers", []) if isinstance(h, dict)]
        _redact_pairs([h for h in headers if h.get("name", "").lower() in SECRET_HEADERS], secret_names=False)
        _redact_pairs(message.get("cookies", []), secret_names=False)
        _redact_pairs(message.get("queryString", []), secret_names=True)
        post = message.get("postData") or {}
        _redact_pairs(post.get("params", []), secret_names=True)


def _redact_network(text: str) -> str:
    lines = []
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        if isinstance(event, dict) and isinstance(event.get("snapshot"), dict):
            _redact_entry(event["snapshot"])
        lines.append(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _without_screencast(text: str) -> tuple[str, set[str]]:
    """The trace's events without its screencast frames, and the resources those frames were."""
    kept, frames = [], set()
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            kept.append(line)
            continue
        if isinstance(event, dict) and event.get("type") == "screencast-frame":
            if event.get("sha1"):
                frames.add(f"resources/{event['sha1']}")
            continue
        kept.append(line)
    return "\n".join(kept) + ("\n" if text.endswith("\n") else ""), frames


def redact_trace(path: Path, secrets: Iterable[str]) -> None:
    """Rewrite the trace zip at ``path`` without the secrets (see the module's docstring)."""
    secrets = [secret for secret in secrets if secret]
    with zipfile.ZipFile(path) as source:
        if REDACTED_MARK in source.namelist():
            return
        members = {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}
    dropped: set[str] = set()
    texts: dict[str, str] = {}
    for name, data in members.items():
        try:
            texts[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # a font, a picture: no text of ours
    for name, text in texts.items():
        if name.endswith(".trace"):
            text, frames = _without_screencast(text)
            dropped |= frames
        if name.endswith(".network"):
            text = _redact_network(text)
        texts[name] = redact_text(text, secrets)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in members.items():
                if name in dropped:
                    continue
                out.writestr(name, texts[name].encode("utf-8") if name in texts else data)
            out.writestr(REDACTED_MARK, "secrets and screencast frames removed by sesag\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_trace(context, path: Path, secrets: Iterable[str]) -> Path:
    """Stop ``context``'s tracing into ``path`` with the secrets already taken out: the trace is
    written and redacted beside ``path`` under a hidden name, and only then put there."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".zip")
    os.close(handle)
    try:
        context.tracing.stop(path=temporary)
        redact_trace(Path(temporary), secrets)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def redact_folder(folder: Path, secrets: Iterable[str]) -> list[Path]:
    """Redact every trace zip under ``folder``; the traces redacted."""
    secrets = list(secrets)
    done = []
    for trace in sorted(Path(folder).rglob("*.zip")) if Path(folder).is_dir() else []:
        try:
            redact_trace(trace, secrets)
        except zipfile.BadZipFile:
            continue  # not a trace (or still being written by another process)
        done.append(trace)
    return done


class ArtefactRedactor:
    """pytest plugin: redact the traces pytest-playwright keeps in ``folder`` after every test
    (its teardown report comes after the trace is written) and at the end of the session."""

    def __init__(self, folder: Path, secrets: Iterable[str]):
        self.folder = Path(folder)
        self.secrets = list(secrets)

    def pytest_runtest_logreport(self, report):
        if report.when == "teardown":
            redact_folder(self.folder, self.secrets)

    def pytest_sessionfinish(self, session):
        redact_folder(self.folder, self.secrets)
