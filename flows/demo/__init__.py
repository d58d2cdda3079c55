"""Showing the procedure to new administrators: the live captioned run and the animated walkthrough,
``sesag demo``.
"""
