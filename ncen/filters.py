"""FilterSets of the core, shared by the HTML lists and the API."""

import copy

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod

from .audit import Action
from .forms import CountryChoices
from .models import AuditEntry, Office, Role, User
from .renderers import Select


class DateInput(forms.DateInput):
    """The browser's own date picker; it sends ISO dates whatever the language."""

    input_type = "date"


class RepeatableSelect(Select):
    """A filter given once or several times, each value narrowing the list further (the
    dashboard's map links to the records through a country within a route country already
    filtered by): one select per value given, so that the form sends them all again, and
    one when none is."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            values = data.getlist(name)
        else:  # stored criteria: one value, or a list of them
            value = data.get(name)
            values = value if isinstance(value, list) else [value]
        return [value for value in values if value]

    def render(self, name, value, attrs=None, renderer=None):
        values = [one for one in (value if isinstance(value, list | tuple) else [value]) if one]
        selects = []
        for n, one in enumerate(values or [""]):
            own = dict(attrs or {})
            if n and "id" in own:
                # The label names the first select; the others get ids of their own.
                own["id"] = f"{own['id']}_{n}"
            selects.append(super().render(name, [one], own, renderer))
        return mark_safe("".join(selects))  # noqa: S308 - each select escaped by Select


def route_country_filter() -> django_filters.MultipleChoiceFilter:
    """Route countries, in any position; repeated, every one given must be on the route
    (the records' ``route_countries``)."""
    return django_filters.MultipleChoiceFilter(
        label=_("Route country"),
        choices=CountryChoices(empty=_("Any")),
        method=_on_route,
        widget=RepeatableSelect,
    )


def _on_route(queryset, name, value: list[str]):
    return queryset.filter(route_countries__contains=value)


def country_filter(label) -> django_filters.ChoiceFilter:
    """One country, or any."""
    return django_filters.ChoiceFilter(label=label, choices=CountryChoices(), empty_label=_("Any"))


def repeatable(filter_: django_filters.Filter) -> bool:
    """Whether a filter's parameter may be given several times (RepeatableSelect)."""
    return isinstance(filter_, django_filters.MultipleChoiceFilter)


class FetchedModelChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A model filter's options, as django-filter's iterator gives them, read in one fetch.
    Django reads them through QuerySet.iterator(), a server-side cursor: DECLARE, FETCH and
    CLOSE, three round trips for a handful of offices on every list page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class FetchedModelChoiceField(django_filters.fields.ModelChoiceField):
    """django-filter's model choice field, its options read in one fetch."""

    iterator = FetchedModelChoiceIterator


class FetchedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = FetchedModelChoiceField


def _own_copy(filter_: django_filters.Filter) -> django_filters.Filter:
    """A class's filter for one FilterSet: what the FilterSet or django-filter set on it is
    its own (the parent, the model, the queryset offered, written into ``extra``, and the
    form field made from it), what it was declared with is shared."""
    copied = copy.copy(filter_)
    copied.extra = dict(filter_.extra)
    copied.__dict__.pop("_field", None)
    if isinstance(filter_.__dict__.get("filter"), FilterMethod):
        # It calls the method of its filter's parent: this copy's, not the class's.
        copied.filter = FilterMethod(copied)
    return copied


def _form_of_named_fields(form_class, data, prefix) -> forms.Form:
    """A bound ``form_class`` with only the fields ``data`` gives a value for (as their
    widgets tell) and those required, for a form that is validated and never rendered.
    Another field cleans to empty, which no filter applies, and is not invalid then, so the
    cleaned data, the errors and their order are the whole form's; Django deep-copies every
    field of each form it makes, 14 for the seizures' filters. A form class with more to it
    than django-filter's fields (a clean method) is made whole."""
    if form_class.__bases__ != (forms.Form,):
        return form_class(data, prefix=prefix)

    def named(name: str, field: forms.Field) -> bool:
        key = f"{prefix}-{name}" if prefix else name
        return (
            field.required
            or field.disabled
            or not field.widget.value_omitted_from_data(data, {}, key)
        )

    form = form_class.__new__(form_class)
    # BaseForm.__init__ copies the fields from base_fields: these ones.
    form.base_fields = {
        name: field for name, field in form_class.base_fields.items() if named(name, field)
    }
    form.__init__(data, prefix=prefix)
    return form


class NcenFilterSet(django_filters.FilterSet):
    """A FilterSet that knows who is asking, so that choices offered stay within what the
    user may see."""

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        request=None,
        request_user=None,
        prefix=None,
        form_shown: bool = True,
    ):
        # django-filter's own __init__, except that each filter is copied as _own_copy does
        # rather than deep-copied with everything it refers to (its queryset, choices,
        # widget and labels): a third of the FilterSet's making, for nothing it changes.
        # form_shown=False (the API): the form is only validated, never rendered, and is
        # made with the fields the data names (_form_of_named_fields).
        self.form_shown = form_shown
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _own_copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
        self.request_user = request_user or getattr(request, "user", None)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            if not self.is_bound:
                self._form = form_class(prefix=self.form_prefix)
            elif self.form_shown:
                self._form = form_class(self.data, prefix=self.form_prefix)
            else:
                self._form = _form_of_named_fields(form_class, self.data, self.form_prefix)
            self.prepare_form(self._form)
        return self._form

    def prepare_form(self, form: forms.Form) -> None:
        """Called once on the FilterSet's new form: a subclass narrows its choices there."""

    @property
    def invalid(self) -> bool:
        # An unbound FilterSet (no parameters at all) is not "valid" to django-filter, but it
        # asks for every record the user may see.
        return self.is_bound and not self.is_valid()

    def matching(self):
        """The matching records, or none at all when a filter value is invalid: a list (or
        a figure) that silently dropped the bad filter would look like an answer to the
        question asked."""
        if self.invalid:
            return self.queryset.none()
        return self.qs

    def leave_out_ordering(self) -> None:
        """For figures counted over the matching records (the dashboard, the bulletin): the
        list's sort order means nothing there, so its field is left out of the form (and a
        value given for it is ignored)."""
        self.form.fields.pop("ordering", None)


class UserFilterSet(NcenFilterSet):
    q = django_filters.CharFilter(label=_("Name or username"), method="filter_text")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, empty_label=_("Any"))
    office = FetchedModelChoiceFilter(
        label=_("Office"), queryset=Office.objects.none(), empty_label=_("Any")
    )
    is_active = django_filters.BooleanFilter(
        label=_("State"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Active")), ("false", _("Deactivated"))]
        ),
    )

    class Meta:
        model = User
        fields = ["q", "role", "office", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request_user is not None and self.request_user.is_authenticated:
            self.filters["office"].queryset = Office.objects.filter(
                administration_id=self.request_user.administration_id
            )

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )


class AuditEntryFilterSet(NcenFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=Action.choices, empty_label=_("Any")
    )
    actor = django_filters.CharFilter(
        label=_("Actor's username"), field_name="actor_username", lookup_expr="iexact"
    )
    object_type = django_filters.CharFilter(label=_("Object type"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    # Dates are read in the administration's time zone, which the middleware activates.
    since = django_filters.DateFilter(
        label=_("From"), field_name="created_at", lookup_expr="date__gte", widget=DateInput
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="created_at", lookup_expr="date__lte", widget=DateInput
    )
    request_id = django_filters.CharFilter(label=_("Request id"))

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "object_type", "object_id", "since", "until", "request_id"]
