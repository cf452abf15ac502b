"""Each FilterSet works on its own copies of its class's filters (ncen.filters._own_copy)."""

import pytest

from ncen.filters import UserFilterSet
from ncen.models import User

from ..factories import OfficeFactory

pytestmark = pytest.mark.django_db


def test_what_one_filterset_sets_on_its_filters_stays_its_own(fj_admin, ws_admin):
    # Something may have made the class's filters' fields already (the schema does).
    for filter_ in UserFilterSet.base_filters.values():
        filter_.field  # noqa: B018 - made and kept on the filter
    fiji, samoa = UserFilterSet(request_user=fj_admin), UserFilterSet(request_user=ws_admin)
    OfficeFactory(administration=fj_admin.administration)
    fiji_offices = set(fiji.form.fields["office"].queryset)
    assert fiji_offices
    assert {office.administration_id for office in fiji_offices} == {fj_admin.administration_id}
    assert {o.administration_id for o in samoa.form.fields["office"].queryset} <= {
        ws_admin.administration_id
    }
    for filterset in (fiji, samoa):
        for name, filter_ in filterset.filters.items():
            base = UserFilterSet.base_filters[name]
            assert filter_ is not base
            assert filter_.parent is filterset
            assert filter_.extra is not base.extra
            assert filter_.field is not base.field
    # The class's filter still offers no office.
    assert UserFilterSet.base_filters["office"].queryset.query.is_empty()


def test_a_method_filter_calls_its_own_filterset(fj_admin):
    filterset = UserFilterSet({"q": fj_admin.username}, User.objects.all(), request_user=fj_admin)
    calls = []
    filterset.filter_text = lambda queryset, name, value: calls.append(value) or queryset
    assert filterset.is_valid()
    filterset.qs  # noqa: B018 - filtering is what is checked
    assert calls == [fj_admin.username]
