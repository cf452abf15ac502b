from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

from ncen.paginator import CappedPaginator


class Pagination(PageNumberPagination):
    """Numbered pages over a count capped at ncen.paginator.COUNT_CAP: ``count`` is exact
    when ``count_is_exact`` is true, and a lower bound otherwise. To read more than the cap,
    filter, or walk a cursor feed where an endpoint offers one."""

    django_paginator_class = CappedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_exact": self.page.paginator.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_is_exact", "results"]
        response["properties"]["count"]["description"] = (
            "Matches, counted up to a cap: a lower bound when count_is_exact is false."
        )
        response["properties"]["count_is_exact"] = {"type": "boolean", "example": True}
        return response


class NewestFirstCursorPagination(CursorPagination):
    """Every match, page after page, newest first, without counting: each page costs what
    the first does, where a numbered page 100 reads and skips 4,950 rows first."""

    ordering = ("-occurred_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
