"""Playwright flows, the illustrated guide and the demo for the Se Sag procedure.

Importing this package must stay cheap and must not import Playwright: the mock portal reads
the step texts (``flows/vejledning.toml``) without pulling in a browser.
"""
