"""The one FilterSet of seizures: the list page, the API and the exports all use it."""

import copy
import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from functools import cached_property

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ncen.filters import (
    DateInput,
    FetchedModelChoiceField,
    NcenFilterSet,
    country_filter,
    repeatable,
    route_country_filter,
)
from ncen.models import Office
from ncen.querysets import is_active_user
from ncen.statements import fetched, get_statement, key_of

from .models import Code, CodeList, Seizure, code_label

# websearch_to_tsquery turns a hyphenated word ("vacuum-sealed") into a phrase of the word
# and its parts, which PostgreSQL estimates as if the three were independent: a handful of
# rows where thousands match. It then reads and sorts every match (130-210 ms at a million
# seizures) instead of walking the newest until it has a page (2 ms). Requiring the parts
# finds the same records, since the parts are indexed wherever the word is.
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def start_of(day) -> datetime:
    """Midnight of ``day`` in the active (administration's) time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class FormCodes:
    """The codes the code fields of one form accept, read for all of its fields at once:
    the entries the submitted values name when the form is validated (no query when it names
    none), and every entry of the fields' lists when it is rendered (one query, not one a
    list). Administrators add, rename and retire codes at any time, so each form reads its
    own."""

    def __init__(self, form: forms.Form, user):
        self._form = form
        self._user = user
        self._named: dict[int, Code] | None = None
        self._offered: dict[str, list[tuple[int, str]]] | None = None

    @cached_property
    def _visible(self) -> QuerySet:
        # Made when first needed: a form that is not rendered (every API request) never
        # builds it; the codes a form names are read by _visible_codes.
        return Code.objects.visible_to(self._user)

    def _fields(self) -> dict[str, "FormCodeChoiceField"]:
        return {
            name: field
            for name, field in self._form.fields.items()
            if isinstance(field, FormCodeChoiceField)
        }

    def named(self, value) -> Code | None:
        """The visible code whose id ``value`` is, if any."""
        if self._named is None:
            keys = {key_of(Code, self._form[name].data) for name in self._fields()} - {None}
            self._named = _visible_codes(self._user, keys) if keys else {}
        return self._named.get(key_of(Code, value))

    def choices(self, code_list: str) -> list[tuple[int, str]]:
        """Every visible entry of ``code_list``, retired ones included, in the lists' order,
        as (id, label in the active language): plain rows, not instances."""
        if self._offered is None:
            self._offered = defaultdict(list)
            lists = {field.code_list for field in self._fields().values()}
            language = translation.get_language()
            rows = self._visible.filter(list__in=lists).values_list(
                "pk", "list", "label", "label_fr"
            )
            for pk, list_, label, label_fr in rows:
                self._offered[list_].append((pk, code_label(label, label_fr, language)))
        return self._offered[code_list]


def _visible_codes(user, keys: set[int]) -> dict[int, Code]:
    """``Code.objects.visible_to(user).in_bulk(keys)``, read by the statement of
    ``filter(pk__in=keys).get()`` (the same rows: ``get``'s LIMIT 21 is above the four codes
    a form names), written once per process for each administration and number of codes, and
    instances made as the ORM makes them (``from_db``). Building and compiling the query was
    most of the look-up, which every request naming a code makes (bench/README.md)."""
    if not is_active_user(user):
        return {}  # visible_to(user) is empty: no query, as in_bulk on none()
    sql, visible_params, fields = _visible_codes_statement(user, len(keys))
    return {code.pk: code for code in fetched(Code, sql, (*visible_params, *keys), fields)}


# An active user's visible codes depend on their administration alone (visible_to).
_CODE_STATEMENTS: dict[tuple[int, int], tuple[str, tuple, list[str]]] = {}


def _visible_codes_statement(user, count: int) -> tuple[str, tuple, list[str]]:
    key = (user.administration_id, count)
    statement = _CODE_STATEMENTS.get(key)
    if statement is None:
        placeholders = tuple(range(-count, 0))  # ids no code has, kept apart by IN
        statement = _CODE_STATEMENTS[key] = get_statement(
            Code.objects.visible_to(user).filter(pk__in=placeholders), placeholders
        )
    return statement


class CodeChoiceIterator(BaseChoiceIterator):
    """A code field's choices, from the codes its form read for all its code fields."""

    def __init__(self, field: "FormCodeChoiceField"):
        self.field = field

    def _choices(self) -> list[tuple[int, str]]:
        return self.field.codes.choices(self.field.code_list)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._choices()

    def __len__(self):
        return len(self._choices()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._choices())


class FormCodeChoiceField(forms.ModelChoiceField):
    """One entry of a code list, as a ModelChoiceField over the user's visible entries of the
    list gives it (the same value, errors and options), but validated and offered from its
    form's FormCodes rather than with a query of its own."""

    iterator = CodeChoiceIterator

    def __init__(self, *, code_list: str, **kwargs):
        self.code_list = code_list
        self.codes: FormCodes | None = None  # set on each form by CodeListsFilterSet
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        code = self.codes.named(value)
        if code is None or code.list != self.code_list:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value.pk if isinstance(value, Code) else value},
            )
        return code


class OwnOfficeChoiceField(FetchedModelChoiceField):
    """An office of the user's administration, as the ModelChoiceField over them gives it
    (the same value and errors), looked up by the statement of its ``get()`` written once per
    process for each administration: building and compiling it was most of the look-up
    (bench/README.md)."""

    administration_id = None  # set on each form (prepare_form)

    def to_python(self, value):
        if (
            self.administration_id is None
            or value in self.empty_values
            or (self.null_label is not None and value == self.null_value)
        ):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        pk = key_of(Office, value)
        office = None if pk is None else self._get(pk)
        if office is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return office

    def _get(self, pk) -> Office | None:
        sql, params, fields = self._statement()
        found = fetched(Office, sql, (*params, pk), fields)
        return found[0] if found else None

    def own_offices(self) -> QuerySet[Office]:
        return Office.objects.filter(administration_id=self.administration_id)

    def _statement(self) -> tuple[str, tuple, list[str]]:
        statement = _OFFICE_STATEMENTS.get(self.administration_id)
        if statement is None:
            statement = _OFFICE_STATEMENTS[self.administration_id] = get_statement(
                self.own_offices().filter(pk=-1), (-1,)
            )
        return statement


# The statements of OwnOfficeChoiceField, by administration: its queryset is their offices.
_OFFICE_STATEMENTS: dict[int, tuple[str, tuple, list[str]]] = {}


class OwnOfficeFilter(django_filters.ModelChoiceFilter):
    field_class = OwnOfficeChoiceField


@extend_schema_field(OpenApiTypes.INT)
class CodeFilter(django_filters.ModelChoiceFilter):
    field_class = FormCodeChoiceField

    def __init__(self, code_list: str, **kwargs):
        self.code_list = code_list
        super().__init__(
            queryset=Code.objects.none(), empty_label=_("Any"), code_list=code_list, **kwargs
        )


class CodeListsFilterSet(NcenFilterSet):
    """A FilterSet with code filters, which its form validates and offers with one query for
    all of them (FormCodes)."""

    def get_form_class(self):
        # django-filter makes a form class for each FilterSet it makes, from its filters'
        # fields. Nothing of these depends on the request here (prepare_form sets what
        # depends on the user on each form, which has its own copy of the fields), so one
        # class serves every request that keeps all the filters (indicators narrow them).
        if self.filters.keys() != self.base_filters.keys():
            return super().get_form_class()
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            filters = copy.deepcopy(self.base_filters)
            fields = {name: filter_.field for name, filter_ in filters.items()}
            form_class = type(f"{type(self).__name__}Form", (self._meta.form,), fields)
            type(self)._form_class = form_class
        return form_class

    def prepare_form(self, form: forms.Form) -> None:
        """Narrows the choices of a new form to what the user may see."""
        codes = FormCodes(form, self.request_user)
        for field in form.fields.values():
            if isinstance(field, FormCodeChoiceField):
                field.codes = codes


class StableOrderingFilter(django_filters.OrderingFilter):
    """A sort on the date alone leaves seizures of the same minute in any order, which lets a
    row move from one page to the next between two requests: the id breaks ties."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


class SeizureFilterSet(CodeListsFilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    occurred_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=DateInput
    )
    occurred_to = django_filters.DateFilter(label=_("Until"), method="filter_to", widget=DateInput)
    office = OwnOfficeFilter(
        label=_("Office"), queryset=Office.objects.none(), empty_label=_("Any")
    )
    commodity = CodeFilter(CodeList.COMMODITY, label=_("Commodity"), method="filter_commodity")
    detection_method = CodeFilter(CodeList.DETECTION_METHOD, label=_("Detection"))
    concealment_method = CodeFilter(CodeList.CONCEALMENT_METHOD, label=_("Concealment"))
    transport_mode = CodeFilter(CodeList.TRANSPORT_MODE, label=_("Transport"))
    route_country = route_country_filter()
    origin_country = country_filter(_("Country of origin"))
    destination_country = country_filter(_("Country of destination"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Seizure.Status.choices, empty_label=_("Any")
    )
    imported = django_filters.UUIDFilter(
        label=_("Spreadsheet import"),
        method="filter_imported",
        widget=forms.HiddenInput,
        help_text=_("The id of an import you may follow: the seizures it created."),
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("occurred_at", "occurred_at"),
            ("reference", "reference"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        ),
        field_labels={
            "occurred_at": _("Date"),
            "reference": _("Reference"),
            "created_at": _("Recorded"),
            "updated_at": _("Last changed"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Seizure
        fields = []

    def prepare_form(self, form: forms.Form) -> None:
        super().prepare_form(form)
        user = self.request_user
        if "office" in form.fields and user is not None and user.is_authenticated:
            field = form.fields["office"]
            field.administration_id = user.administration_id
            if self.form_shown:
                # The options offered; a form only validated looks its value up by the field's
                # statement, and keeps the declared none().
                field.queryset = field.own_offices()

    def filter_text(self, queryset, name, value):
        words = _INNER_HYPHEN.sub(" ", value)
        return queryset.filter(
            search_vector=SearchQuery(words, config="simple", search_type="websearch")
        )

    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=start_of(value + timedelta(days=1)))

    def filter_imported(self, queryset, name, value):
        from .imports import import_runs

        run = import_runs(user=self.request_user).filter(pk=value).values("result").first()
        return queryset.filter(pk__in=((run or {}).get("result") or {}).get("seizures", []))

    def filter_commodity(self, queryset, name, value):
        # Items of a sub-commodity carry their group too, so either level matches.
        return queryset.filter(commodity_ids__contains=[value.pk])


def kept_value(name: str, given) -> str | list[str] | None:
    """The value of the seizure filter ``name`` as an indicator's criteria and a bulletin's
    filters keep it: its text, or, for a filter that repeats (route country) given several
    times, their texts; None when blank. ValueError when given several times for a filter
    that does not repeat, or as anything but texts and numbers."""
    values = given if isinstance(given, list | tuple) else [given]
    if any(
        one is not None and (type(one) is not str and type(one) is not int) for one in values
    ) or (len(values) > 1 and not repeatable(SeizureFilterSet.base_filters[name])):
        raise ValueError(name)
    kept = [str(one).strip() for one in values if one is not None and str(one).strip()]
    if not kept:
        return None
    return kept if len(kept) > 1 else kept[0]
