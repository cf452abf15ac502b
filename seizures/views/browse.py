"""Finding seizures: the filtered list, its exports and the detail page."""

import tempfile
from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_countries import countries

from exchange import selectors as exchange_selectors
from exchange.models import Destination
from ncen.audit import Action
from ncen.renderers import escaped

from .. import rights, selectors, workflow
from ..exports import export_rows, write_csv, write_xlsx
from ..filters import SeizureFilterSet
from ..forms import ReturnForm, WithdrawForm
from ..models import Attachment, Seizure, route_codes, row_code_label
from ..services import SEIZURE_FIELDS
from ..templatetags.seizures import quantity_html, route
from ..workflow import Step

PAGE_SIZE = 50
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Query parameters of the list page that are not filters.
PAGE_PARAMETERS = frozenset({"page"})
# Characters of a narrative the list shows, as the template's truncatechars:100 did.
EXCERPT_LENGTH = 100


def _filterset(request, queryset) -> SeizureFilterSet:
    return SeizureFilterSet(request.GET or None, queryset=queryset, request=request)


@login_required
def seizure_list(request):
    # The seizures are filtered and counted with nothing joined, then the page's 50 are read
    # as plain rows, as the list API reads them: model instances with their office, codes and
    # items were most of the page's time (bench/README.md).
    filterset = _filterset(request, selectors.seizure_list_plain(user=request.user))
    paginator = selectors.ListRowsPaginator(filterset.matching(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    export_query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        export_query.pop(name, None)
    context = {
        "filterset": filterset,
        "page": page,
        "rows": [
            _row_html(row) for row in _shown_rows(rows, selectors.seizure_list_items(rows=rows))
        ],
        "export_query": export_query.urlencode(),
        "invalid": filterset.invalid,
        # The list's default order is newest first, which the date heading shows.
        "sort": request.GET.get("ordering") or "-occurred_at",
        "can_create": rights.can_create(request.user),
    }
    return render(request, "seizures/list.html", context)


def _shown_rows(rows: list[dict], items: dict[int, list[dict]]) -> list[dict]:
    """The list's rows as its table shows them (read by ``SeizureQuerySet.list_rows`` and
    ``selectors.seizure_list_items``): what the template did per row with model instances,
    filters and tags, done once per value here. The values are text, not yet escaped:
    ``_row_html`` escapes every one it writes."""
    language = translation.get_language()
    # One reverse() for the 50 links: the detail path of id 0, split around the id.
    link_start, _zero, link_end = reverse("seizures:detail", args=[0]).rpartition("0")
    statuses = {value: str(label) for value, label in Seizure.Status.choices}
    short_datetime = _datetime_writer(get_format("SHORT_DATETIME_FORMAT"))
    zone = timezone.get_current_timezone()
    # Django's own truncation text (django.utils.text.add_truncation_text), translated once.
    truncation = pgettext("String to return when truncating text", "%(truncated_text)s…")
    kept = calculate_truncate_chars_length(EXCERPT_LENGTH, truncation)

    shown = []
    for row in rows:
        occurred_at = timezone.localtime(row["occurred_at"], zone)
        shown.append(
            {
                "link": f"{link_start}{row['id']}{link_end}",
                "reference": row["reference"],
                # What the template's date filter wrote: "c" is the ISO format.
                "occurred_at": occurred_at.isoformat(),
                "occurred_at_shown": short_datetime(occurred_at),
                "office": row["office__name"],
                "items": [
                    (
                        row_code_label(item, "commodity", language),
                        quantity_html(
                            item["quantity"],
                            unit_code=item["unit__code"],
                            unit_label=row_code_label(item, "unit", language),
                            currency=item["currency"],
                        ),
                    )
                    for item in items[row["id"]]
                ],
                "excerpt": _excerpt(row["narrative"], truncation, kept),
                "detection_method": row_code_label(row, "detection_method", language),
                "transport_mode": row_code_label(row, "transport_mode", language),
                "route": route(
                    route_codes(
                        row["origin_country"],
                        row["departure_country"],
                        row["transit_countries"],
                        row["destination_country"],
                    )
                ),
                "status": row["status"],
                "status_label": statuses[row["status"]],
            }
        )
    return shown


def _datetime_writer(format_string: str) -> Callable[[datetime], str]:
    """``dateformat.format(value, format_string)`` for many datetimes: Django splits the
    format and unescapes its literal parts at each call, 9 of its 11 us; here once."""
    pieces = [
        (bool(n % 2), piece if n % 2 else re_escaped.sub(r"\1", piece))
        for n, piece in enumerate(re_formatchars.split(format_string))
        if piece
    ]

    def write(value: datetime) -> str:
        formatter = DateFormat(value)
        return "".join(
            str(getattr(formatter, piece)()) if code else piece for code, piece in pieces
        )

    return write


def _row_html(row: dict) -> SafeString:
    """One of ``_shown_rows`` as the list's template wrote it, its text escaped: through the
    template, the 50 rows' dozen variables each (looked up, localised, escaped) took as long
    as preparing them (bench/README.md). Its indentation is the table's."""
    items = "".join(f"<li>{escaped(label)} · {quantity}</li>" for label, quantity in row["items"])
    excerpt = row["excerpt"] and f'<p class="excerpt muted">{escaped(row["excerpt"])}</p>'
    return mark_safe(  # noqa: S308 - every value escaped, or HTML made by the tags' functions
        "<tr>\n"
        f'      <td class="nowrap"><a href="{escaped(row["link"])}">{escaped(row["reference"])}'
        "</a></td>\n"
        f'      <td><time datetime="{escaped(row["occurred_at"])}">'
        f"{escaped(row['occurred_at_shown'])}</time></td>\n"
        f"      <td>{escaped(row['office'])}</td>\n"
        '      <td class="seized">\n'
        '        <ul class="plain">\n'
        f"          {items}\n"
        "        </ul>\n"
        f"        {excerpt}\n"
        "      </td>\n"
        f"      <td>{escaped(row['detection_method'] or '—')}</td>\n"
        f"      <td>{escaped(row['transport_mode'] or '—')}</td>\n"
        f'      <td class="route">{row["route"]}</td>\n'
        f'      <td><span class="status status-{escaped(row["status"])}">'
        f"{escaped(row['status_label'])}</span></td>\n"
        "    </tr>"
    )


def _excerpt(narrative: str, truncation: str, kept: int) -> str:
    """What ``truncatechars:100`` wrote of a narrative: Django's Truncator looks at each
    character for combining marks, 0.7 ms a page. A narrative in ASCII has none, so it is
    cut at ``kept`` characters (calculate_truncate_chars_length) with the truncation text."""
    if not narrative.isascii():
        return Truncator(narrative).chars(EXCERPT_LENGTH, truncation)
    if len(narrative) <= EXCERPT_LENGTH:
        return narrative
    return add_truncation_text(narrative[:kept], truncation)


@login_required
def seizure_export(request, file_format: str):
    """The list's matching seizures as a CSV or XLSX file, one row per seizure."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    filterset = _filterset(request, selectors.seizure_list(user=request.user))
    unknown = sorted(set(request.GET) - set(filterset.filters) - PAGE_PARAMETERS)
    if unknown or filterset.invalid:
        return _export_refused(filterset, unknown)
    rows = export_rows(filterset.matching())
    code, day = request.user.administration.code, timezone.localdate()
    filename = f"seizures-{code}-{day:%Y-%m-%d}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(write_csv(rows), content_type=EXPORT_FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # A workbook is a zip file, written whole before it can be sent; a temporary file keeps
    # a large one out of memory.
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(rows, file, title=_("Seizures"))
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=filename, content_type=EXPORT_FORMATS["xlsx"]
    )


def _export_refused(filterset: SeizureFilterSet, unknown: list[str]) -> HttpResponse:
    """A 400 that says which parameter is wrong, rather than an export of everything."""
    lines = [_("The export was not made: correct the filters and try again.")]
    lines += [_("%(name)s: not a filter of seizures.") % {"name": name} for name in unknown]
    if filterset.invalid:
        for name, errors in filterset.form.errors.items():
            label = filterset.form.fields[name].label if name in filterset.form.fields else name
            lines += [f"{label}: {error}" for error in errors]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


@login_required
def seizure_detail(request, pk: int):
    return render_detail(request, selectors.seizure_get(user=request.user, pk=pk))


def render_detail(request, seizure: Seizure, status: int = 200):
    """The detail page of a seizure loaded by selectors.seizure_get, with the workflow steps
    the user may take now."""
    user = request.user
    attachments = list(seizure.attachments.all())
    history = [
        {
            "entry": entry,
            "changed": _changed_labels(entry.before, entry.after)
            if entry.action in EDIT_ACTIONS
            else [],
        }
        for entry in selectors.seizure_history(seizure=seizure)
    ]
    approval = seizure.last_approval
    context = {
        "seizure": seizure,
        "transit_countries": [countries.name(code) or code for code in seizure.transit_countries],
        "photos": [a for a in attachments if a.kind == Attachment.Kind.PHOTO],
        "documents": [a for a in attachments if a.kind != Attachment.Kind.PHOTO],
        "history": history,
        "can_edit": rights.can_edit(user, seizure),
        "can_submit": rights.can_submit(user, seizure) and workflow.allowed(Step.SUBMIT, seizure),
        "can_review": rights.can_review(user, seizure) and workflow.allowed(Step.APPROVE, seizure),
        "can_withdraw": rights.can_review(user, seizure)
        and workflow.allowed(Step.WITHDRAW, seizure),
        "own_work": rights.is_own_work(user, seizure),
        "approval": approval,
        "approved_payloads": [
            (
                Destination(destination),
                selectors.approval_payload(approval=approval, destination=destination).decode(),
            )
            for destination in (approval.destinations if approval else ())
        ],
        "withdrawal_payloads": [
            (Destination(destination), body.decode())
            for destination, body in selectors.withdrawal_payloads(
                user=user, seizure=seizure
            ).items()
        ],
        "deliveries": exchange_selectors.seizure_deliveries(user=user, seizure=seizure),
        "return_form": ReturnForm(),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "seizures/detail.html", context, status=status)


# Audit actions whose entries carry the record's snapshots (the others, the workflow's
# steps, carry its status and say why in their reason).
EDIT_ACTIONS = frozenset({Action.SEIZURE_CREATED, Action.SEIZURE_UPDATED})


# The order a reader meets the fields in the record (stored snapshots, being jsonb, come
# back with their keys in another order).
_SNAPSHOT_ORDER = {name: n for n, name in enumerate((*SEIZURE_FIELDS, "items", "offences"))}


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    """The top-level keys whose values differ between two audit snapshots, in the record's
    order (a key present on one side only counts as changed)."""
    before, after = before or {}, after or {}
    changed = {key for key in (*before, *after) if before.get(key) != after.get(key)}
    return sorted(changed, key=lambda key: (_SNAPSHOT_ORDER.get(key, len(_SNAPSHOT_ORDER)), key))


# Snapshot keys that are not fields of the seizure model.
_SNAPSHOT_LABELS = {"items": gettext_lazy("items"), "offences": gettext_lazy("offences")}


def _changed_labels(before: dict | None, after: dict | None) -> list[str]:
    """What an update changed, as field names a reader knows. A creation (nothing before)
    lists nothing, and the version, which every update raises, is left out."""
    if not before or not after:
        return []
    labels = []
    for key in changed_fields(before, after):
        if key == "version":
            continue
        if key in _SNAPSHOT_LABELS:
            labels.append(str(_SNAPSHOT_LABELS[key]))
            continue
        try:
            labels.append(str(Seizure._meta.get_field(key).verbose_name))
        except FieldDoesNotExist:
            labels.append(key)
    return labels
