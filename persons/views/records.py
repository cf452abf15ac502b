"""Persons, businesses and conveyances: lists, pages, forms, the photo and the export.

Every page of a person or business writes an audit entry: nominal data is read on a need to
know. Exports are for supervisors and are audited too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ncen.exceptions import TransitionRefused
from ncen.forms import add_service_errors
from seizures import selectors as seizure_selectors
from seizures.exports import write_csv

from .. import rights, selectors, services
from ..filters import BusinessFilterSet, ConveyanceFilterSet, PersonFilterSet
from ..forms import BusinessForm, ConveyanceForm, DocumentFormSet, LinkForm, PersonForm
from ..models import Person

PAGE_SIZE = 50


def _list(request, *, filterset_class, queryset, template, **context):
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    page = Paginator(filterset.matching(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "filterset": filterset,
            "page": page,
            "can_record": rights.can_record(request.user),
            "can_export": rights.can_export(request.user),
            **context,
        },
    )


def _case_to_join(request):
    """The seizure a record being created is for (``?seizure=``), with the form that says
    what part it played: the new record joins the case when saved."""
    seizure_id = request.GET.get("seizure")
    if not seizure_id or not seizure_id.isdigit():
        return None, None
    seizure = seizure_selectors.seizure_get(user=request.user, pk=int(seizure_id))
    return seizure, LinkForm(request.POST or None, seizure=seizure, prefix="link")


def _join_case(request, *, seizure, link_form, **target) -> None:
    """Called in the transaction that created the record: if the case refuses it, the new
    record is not kept either, and the form says why."""
    try:
        services.link_add(
            by=request.user,
            seizure=seizure,
            role=link_form.cleaned_data["role"],
            offence=link_form.cleaned_data["offence"],
            **target,
        )
    except TransitionRefused as refused:
        raise ValidationError({NON_FIELD_ERRORS: [str(refused)]}) from None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({NON_FIELD_ERRORS: error.messages}) from None


# --- Persons ------------------------------------------------------------------------------


@login_required
def person_list(request):
    return _list(
        request,
        filterset_class=PersonFilterSet,
        queryset=selectors.person_list(user=request.user),
        template="persons/person_list.html",
    )


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    services.nominal_view_record(by=request.user, record=person)
    context = {
        "person": person,
        "cases": selectors.person_cases(user=request.user, person=person),
        "regional_records": selectors.person_regional_records(user=request.user, person=person),
        "merges": selectors.record_merges(user=request.user, record=person),
        "can_record": rights.can_record(request.user) and person.merged_into_id is None,
        "can_judge": rights.can_judge_duplicates(request.user),
    }
    return render(request, "persons/person_detail.html", context)


def _person_form(request, person: Person | None):
    """The person form and its documents, for a new person or an existing one."""
    rights.require_recorder(request.user)
    data, files = request.POST or None, request.FILES or None
    # A new person starts from the name typed on the page that proposed existing ones.
    initial, documents = {"full_name": request.GET.get("q", "")}, []
    if person is not None:
        initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
        documents = [
            {name: getattr(d, name) for name in services.DOCUMENT_FIELDS}
            for d in person.documents.all()
        ]
    form = PersonForm(data, files, initial=initial)
    document_rows = DocumentFormSet(data, prefix="documents", initial=documents)
    seizure, link_form = _case_to_join(request) if person is None else (None, None)
    forms_ = [form, document_rows, *([link_form] if link_form else [])]
    if data is not None and all(f.is_valid() for f in forms_):
        arguments = {
            "by": request.user,
            "values": form.person_values(),
            "documents": document_rows.rows(),
            "photo": form.cleaned_data["photo"],
        }
        try:
            with transaction.atomic():
                if person is None:
                    saved = services.person_create(**arguments)
                    if seizure is not None:
                        _join_case(request, seizure=seizure, link_form=link_form, person=saved)
                else:
                    saved = services.person_update(person=person, **arguments)
        except ValidationError as error:
            changed = [row for row in document_rows.forms if row.has_changed()]
            add_service_errors(error, [form], rows={"documents": changed})
        else:
            person = saved
            messages.success(request, _("%(name)s is saved.") % {"name": person})
            if seizure is not None:
                return redirect("seizures:detail", pk=seizure.pk)
            return redirect("persons:person_detail", pk=person.pk)
    context = {
        "form": form,
        "documents": document_rows,
        "person": person,
        "seizure": seizure,
        "link_form": link_form,
    }
    return render(request, "persons/person_form.html", context, status=400 if data else 200)


@login_required
def person_new(request):
    return _person_form(request, None)


@login_required
def person_edit(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    if person.merged_into_id:
        raise PermissionDenied(_("This person was merged into another record."))
    return _person_form(request, person)


@login_required
def person_photo(request, pk: int):
    """The person's photo, for users who may see the person; 404 for anyone else."""
    person = selectors.person_get(user=request.user, pk=pk)
    if not person.photo:
        raise Http404
    response = FileResponse(person.photo.open("rb"), content_type=person.photo_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _person_rows(persons):
    yield [
        _("Id"),
        _("Full name as written"),
        _("Given names"),
        _("Family name"),
        _("Aliases"),
        _("Date of birth"),
        _("Gender"),
        _("Nationalities"),
        _("Identity documents"),
        _("Phone numbers"),
        _("E-mail"),
        _("Occupation"),
    ]
    for person in persons.iterator(chunk_size=2000):
        yield [
            person.pk,
            person.full_name,
            person.given_names,
            person.family_name,
            "; ".join(person.aliases),
            person.birth,
            person.get_gender_display(),
            "; ".join(person.nationalities),
            "; ".join(
                f"{d.get_kind_display()} {d.number} {d.issuing_country.code}".strip()
                for d in person.documents.all()
            ),
            "; ".join(person.phones),
            person.email,
            person.occupation,
        ]


@login_required
def person_export(request):
    """The list's matching persons as CSV: supervisors only, and written in the trail."""
    filterset = PersonFilterSet(
        request.GET or None, queryset=selectors.person_list(user=request.user), request=request
    )
    unknown = sorted(set(request.GET) - set(filterset.filters))
    if unknown or (filterset.is_bound and not filterset.is_valid()):
        return HttpResponse(
            _("The export was not made: correct the filters and try again.") + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    persons = filterset.qs
    services.nominal_export_record(
        by=request.user, model=Person, count=persons.count(), filters=request.GET.dict()
    )
    filename = f"persons-{request.user.administration.code}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        write_csv(_person_rows(persons)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Businesses and conveyances -----------------------------------------------------------


@login_required
def business_list(request):
    return _list(
        request,
        filterset_class=BusinessFilterSet,
        queryset=selectors.business_list(user=request.user),
        template="persons/business_list.html",
    )


@login_required
def business_detail(request, pk: int):
    business = selectors.business_get(user=request.user, pk=pk)
    services.nominal_view_record(by=request.user, record=business)
    context = {
        "business": business,
        "cases": selectors.business_cases(user=request.user, business=business),
        "regional_records": selectors.business_regional_records(
            user=request.user, business=business
        ),
        "merges": selectors.record_merges(user=request.user, record=business),
        "can_record": rights.can_record(request.user) and business.merged_into_id is None,
        "can_judge": rights.can_judge_duplicates(request.user),
    }
    return render(request, "persons/business_detail.html", context)


@login_required
def conveyance_list(request):
    return _list(
        request,
        filterset_class=ConveyanceFilterSet,
        queryset=selectors.conveyance_list(user=request.user),
        template="persons/conveyance_list.html",
    )


@login_required
def conveyance_detail(request, pk: int):
    conveyance = selectors.conveyance_get(user=request.user, pk=pk)
    context = {
        "conveyance": conveyance,
        "cases": selectors.conveyance_cases(user=request.user, conveyance=conveyance),
        "regional_records": selectors.conveyance_regional_records(
            user=request.user, conveyance=conveyance
        ),
        "can_record": rights.can_record(request.user),
    }
    return render(request, "persons/conveyance_detail.html", context)


def _simple_form(request, *, form_class, record, fields, create, update, kind, detail_url):
    """The form of a business or conveyance, new (``record`` None) or existing."""
    rights.require_recorder(request.user)
    data = request.POST or None
    initial = {name: getattr(record, name) for name in fields} if record else {}
    form = form_class(data, initial=initial)
    seizure, link_form = _case_to_join(request) if record is None else (None, None)
    if data is not None and form.is_valid() and (link_form is None or link_form.is_valid()):
        try:
            with transaction.atomic():
                if record is None:
                    saved = create(by=request.user, values=form.cleaned_data)
                    if seizure is not None:
                        _join_case(request, seizure=seizure, link_form=link_form, **{kind: saved})
                else:
                    saved = update(by=request.user, values=form.cleaned_data, **{kind: record})
        except ValidationError as error:
            add_service_errors(error, [form])
        else:
            record = saved
            messages.success(request, _("%(name)s is saved.") % {"name": record})
            if seizure is not None:
                return redirect("seizures:detail", pk=seizure.pk)
            return redirect(detail_url, pk=record.pk)
    context = {"form": form, "record": record, "seizure": seizure, "link_form": link_form}
    return render(request, "persons/record_form.html", context, status=400 if data else 200)


@login_required
def business_new(request):
    return _business_form(request, None)


@login_required
def business_edit(request, pk: int):
    return _business_form(request, selectors.business_get(user=request.user, pk=pk))


def _business_form(request, business):
    return _simple_form(
        request,
        form_class=BusinessForm,
        record=business,
        fields=services.BUSINESS_FIELDS,
        create=services.business_create,
        update=services.business_update,
        kind="business",
        detail_url="persons:business_detail",
    )


@login_required
def conveyance_new(request):
    return _conveyance_form(request, None)


@login_required
def conveyance_edit(request, pk: int):
    return _conveyance_form(request, selectors.conveyance_get(user=request.user, pk=pk))


def _conveyance_form(request, conveyance):
    return _simple_form(
        request,
        form_class=ConveyanceForm,
        record=conveyance,
        fields=services.CONVEYANCE_FIELDS,
        create=services.conveyance_create,
        update=services.conveyance_update,
        kind="conveyance",
        detail_url="persons:conveyance_detail",
    )
