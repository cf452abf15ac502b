"""An indicator's criteria are the seizure search's query parameters. The one FilterSet of
seizures (seizures.filters) validates them and decides a match, so that an indicator means
exactly what the same search shows."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists
from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries

from ncen.filters import repeatable
from ncen.models import Office
from seizures.filters import CodeFilter, SeizureFilterSet, kept_value
from seizures.models import Code, Seizure

# Parameters of the search that say how to show the list or which import it came from,
# not what a record is like.
NOT_CRITERIA = frozenset({"ordering", "imported"})
CRITERIA = tuple(name for name in SeizureFilterSet.base_filters if name not in NOT_CRITERIA)


def _filterset(criteria: Mapping, *, user, queryset) -> SeizureFilterSet:
    return SeizureFilterSet(dict(criteria), queryset=queryset, request_user=user)


def criteria_clean(criteria, *, user) -> dict:
    """The criteria as stored: known filters with a valid value, in the search form's order.
    Raises ValidationError on ``criteria`` naming every problem."""
    if not isinstance(criteria, Mapping):
        raise ValidationError({"criteria": [_("Give the criteria as filter names and values.")]})
    errors = []
    values = {}
    for name, value in criteria.items():
        if value is None or value == "":
            continue
        if name not in CRITERIA:
            errors.append(_("%(name)s: not a filter of seizures.") % {"name": name})
        else:
            try:
                kept = kept_value(name, value)
            except ValueError:
                errors.append(_("%(name)s: give one value.") % {"name": name})
            else:
                if kept is not None:
                    values[name] = kept
    filterset = _filterset(values, user=user, queryset=Seizure.objects.none())
    if values and not filterset.is_valid():
        for name, messages in filterset.form.errors.items():
            label = filterset.filters[name].label if name in filterset.filters else name
            errors += [f"{label}: {message}" for message in messages]
    if not values and not errors:
        errors.append(
            _("Choose at least one filter: an indicator without criteria would match every record.")
        )
    if errors:
        raise ValidationError({"criteria": errors})
    return {name: values[name] for name in CRITERIA if name in values}


def criteria_from_query(query, *, prefix: str = "") -> dict:
    """The criteria a query holds (a search's parameters, or those of the indicator form's
    criteria, named with ``prefix``): a value per parameter, or the values of a filter that
    repeats, empty ones left out. criteria_clean says what is wrong with them."""
    criteria = {}
    for key, given in query.lists():
        name = key.removeprefix(prefix)
        if not key.startswith(prefix) or name in NOT_CRITERIA or name == "page":
            continue  # the search's page is not what a record is like either
        values = [value.strip() for value in given if value.strip()]
        if len(values) > 1 and name in CRITERIA and repeatable(SeizureFilterSet.base_filters[name]):
            criteria[name] = values
        elif values:
            criteria[name] = values[-1]
    return criteria


def matching(indicators: Iterable, *, seizure: Seizure, user) -> list:
    """The indicators ``seizure`` matches: each one's FilterSet applied to a queryset of that
    record alone, all asked in one query. ``user`` is any active user of the record's
    administration (the FilterSet offers choices within it); the caller activates the
    administration's time zone, which the date filters read."""
    one = Seizure.objects.filter(pk=seizure.pk)
    questions = {}
    for indicator in indicators:
        filterset = _filterset(indicator.criteria, user=user, queryset=one)
        # A filter without a value filters nothing; leaving the others out of the form
        # spares building their fields (the country list alone costs milliseconds).
        filterset.filters = {
            name: filter_
            for name, filter_ in filterset.filters.items()
            if name in indicator.criteria
        }
        # Criteria validated on save stop being valid only if a code or office they name
        # is gone: such an indicator matches nothing.
        if filterset.is_valid():
            questions[indicator] = Exists(filterset.qs.order_by())
    if not questions:
        return []
    answers = one.values(**{f"i{indicator.pk}": q for indicator, q in questions.items()}).first()
    if answers is None:
        return []
    return [indicator for indicator in questions if answers[f"i{indicator.pk}"]]


def criteria_lookups(indicators: Iterable) -> tuple[dict, dict]:
    """The codes and offices the criteria of ``indicators`` name, in two queries, for
    criteria_words."""
    code_ids, office_ids = set(), set()
    for indicator in indicators:
        for name, value in indicator.criteria.items():
            if not str(value).isdigit():
                continue
            if isinstance(SeizureFilterSet.base_filters.get(name), CodeFilter):
                code_ids.add(int(value))
            elif name == "office":
                office_ids.add(int(value))
    codes = Code.objects.in_bulk(code_ids) if code_ids else {}
    offices = Office.objects.in_bulk(office_ids) if office_ids else {}
    return codes, offices


def criteria_words(criteria: Mapping, *, codes: dict, offices: dict) -> list[tuple[str, str]]:
    """Each criterion as its label and its value in words: ("Commodity", "Cocaine")."""
    words = []
    for name in CRITERIA:
        if name not in criteria:
            continue
        value = str(criteria[name])
        filter_ = SeizureFilterSet.base_filters[name]
        if isinstance(filter_, CodeFilter):
            text = str(codes.get(int(value), value)) if value.isdigit() else value
        elif name == "office":
            text = str(offices.get(int(value), value)) if value.isdigit() else value
        elif name == "status":
            text = str(dict(Seizure.Status.choices).get(value, value))
        elif name == "route_country":
            given = criteria[name] if isinstance(criteria[name], list) else [value]
            text = _(" and ").join(countries.name(one) or one for one in given)
        elif name in ("occurred_from", "occurred_to"):
            try:
                text = formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                text = value
        else:
            text = f"“{value}”"
        words.append((str(filter_.label), text))
    return words
