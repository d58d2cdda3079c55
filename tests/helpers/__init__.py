"""Helpers the tests share: HTML of the portal, the PDF checks, the validators, running sesag."""
