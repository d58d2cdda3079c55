"""Granting rights: the logged-in session, the grant algorithm, bulk files, their report, ``sesag grant``
and ``sesag bulk``.
"""
