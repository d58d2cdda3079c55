"""The pager's page numbers (the employee list and an employee's events)."""

from __future__ import annotations


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers the pager shows: all of them when few, else the first, the last and
    ``around`` either side of ``page``, with None for each gap (3,334 links would be a page of
    their own at 50,000 employees)."""
    if pages <= 2 * around + 5:
        return list(range(1, pages + 1))
    near = range(max(2, page - around), min(pages - 1, page + around) + 1)
    window: list[int | None] = [1]
    if near[0] > 2:
        window.append(None)
    window += near
    if near[-1] < pages - 1:
        window.append(None)
    return window + [pages]
