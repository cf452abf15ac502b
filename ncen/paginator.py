"""A paginator whose count stops at a cap, for lists that can match most of a large table."""

from functools import cached_property

from django.core.paginator import Paginator

# Twenty pages of fifty: more than anyone pages through; past that, a filter is the answer.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` matches. An exact ``COUNT(*)`` of a broad filter reads every
    matching row of a million-row table (hundreds of milliseconds); counting the first
    ``cap + 1`` costs a few thousand at most (bench/README.md). Pages past the cap are not
    offered; ``count_is_exact`` tells whether there are more matches than ``count``."""

    cap = COUNT_CAP

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def count_is_exact(self) -> bool:
        return self._counted <= self.cap
