"""Paging for lists that can run to a million rows: the count stops at COUNT_CAP.

An exact COUNT(*) of a queue over a million tickets costs 0.15–1.6 s, ten to fifty times the page of rows itself
(bench/README.md). Nobody pages past ten thousand rows — they narrow the search — so past the cap the pager says
"more than 10,000" and the database stops counting there.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The exact count up to the cap, cap + 1 beyond it (one LIMITed subquery, no ORDER BY)."""
        if hasattr(self.object_list, "query"):
            return self.object_list.order_by()[: self.cap + 1].count()
        return super().count

    @property
    def count_capped(self) -> bool:
        return self.count > self.cap


class CappedPageNumberPagination(PageNumberPagination):
    """DRF paging on CappedPaginator; the response says whether `count` stopped at the cap."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.count_capped
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count"]["description"] = f"条数；超过 {COUNT_CAP} 条时为 {COUNT_CAP + 1}"
        out["properties"]["count_capped"] = {"type": "boolean", "description": f"是否超过 {COUNT_CAP} 条"}
        return out
