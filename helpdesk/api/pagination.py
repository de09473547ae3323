from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, 25 a page, up to 100 on request."""

    page_size_query_param = "page_size"
    max_page_size = 100
