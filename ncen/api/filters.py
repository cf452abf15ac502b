from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    """Answer a query parameter that is neither a filter nor a pagination parameter with
    400, instead of silently returning the unfiltered list. A view may name parameters of
    its own in ``extra_query_parameters``."""

    always_allowed = frozenset({"format"})

    def get_filterset_kwargs(self, request, queryset, view):
        # The API never renders a FilterSet's form (ncen.filters.NcenFilterSet).
        return {**super().get_filterset_kwargs(request, queryset, view), "form_shown": False}

    def filter_queryset(self, request, queryset, view):
        allowed = set(self.always_allowed) | set(getattr(view, "extra_query_parameters", ()))
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            allowed |= {
                getattr(paginator, name)
                for name in ("page_query_param", "page_size_query_param", "cursor_query_param")
                if getattr(paginator, name, None)
            }
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {
                    name: [
                        _("Unknown query parameter. Allowed: %(allowed)s.")
                        % {"allowed": ", ".join(sorted(allowed))}
                    ]
                    for name in unknown
                }
            )
        return super().filter_queryset(request, queryset, view)
