"""Reading the portal's pages in Flask test-client tests: the form's CSRF token, the key card's
number and the demo key. A module of its own (not conftest) so test modules can import it:
two conftest.py files (tests/ and tests/e2e/) make ``from conftest import`` ambiguous under xdist."""

from __future__ import annotations

import html as htmllib
import re

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(page_html: str) -> str:
    """The csrf_token of the (first) form on a page."""
    found = _TOKEN.search(page_html)
    assert found, "the page has no form with a csrf_token"
    return htmllib.unescape(found.group(1))


def key_code_shown(page_html: str) -> str:
    found = re.search(r'data-testid="key-code">(\d{4})<', page_html)
    assert found, "the key-card page shows no key number"
    return found.group(1)


def demo_key_shown(page_html: str) -> str | None:
    found = re.search(r'<strong data-testid="demo-key">(\d{6})</strong>', page_html)
    return found.group(1) if found else None
