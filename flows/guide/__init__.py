"""The illustrated vejledning: capture, details, rendering (HTML, PDF, Markdown), the pixel check and
its report, ``sesag guide``.
"""
