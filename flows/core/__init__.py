"""What every product drives the portal with: the browser, the page objects (one class per screen),
the scenes of Trin 1-5, credentials, the embedded mock, marks on the page, failure reports, redaction.
"""
