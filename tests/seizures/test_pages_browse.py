"""The seizure list and detail pages: visibility, filters, escaping and the history."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format
from django.utils.html import escape

from ncen.models import AuditEntry
from seizures import selectors, services
from seizures.models import Attachment, Code
from seizures.views.browse import _datetime_writer, _row_html, _shown_rows, changed_fields

from ..conftest import api_client, signed_in_client
from ..factories import OfficeFactory, code, make_seizure

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<a href="/seizures/\d+/">')


def _cigarettes():
    return [
        {
            "commodity": code("commodity", "cigarettes"),
            "quantity": Decimal("12000"),
            "unit": code("unit", "sticks"),
            "description": "Undeclared cartons",
        }
    ]


def _fijian_dollars():
    return [
        {
            "commodity": code("commodity", "undeclared_currency"),
            "quantity": Decimal("5000"),
            "unit": code("unit", "currency"),
            "currency": "FJD",
        }
    ]


def _list(client, **params) -> str:
    response = client.get("/seizures/", params)
    assert response.status_code == 200
    return response.content.decode()


def _list_in(language: str, user) -> str:
    """The list page as ``user`` sees it in ``language``."""
    client = signed_in_client(user)
    client.cookies["django_language"] = language
    return _list(client)


def test_list_shows_only_the_users_administration(fj_officer, ws_officer):
    fiji = make_seizure(by=fj_officer)
    samoa = make_seizure(
        by=ws_officer, office=OfficeFactory(administration=ws_officer.administration)
    )

    fiji_page = _list(signed_in_client(fj_officer))
    assert fiji.reference in fiji_page
    assert samoa.reference not in fiji_page

    samoa_page = _list(signed_in_client(ws_officer))
    assert samoa.reference in samoa_page
    assert fiji.reference not in samoa_page
    assert "1 seizure matches." in samoa_page


def test_list_rows_show_what_was_seized_and_the_route(fj_officer):
    seizure = make_seizure(by=fj_officer, transit_countries=["NZ"])
    html = _list(signed_in_client(fj_officer))
    assert f'href="/seizures/{seizure.pk}/"' in html
    assert "Cocaine · <span" in html
    assert "2.5 kilograms" in html
    assert "X-ray or scanner" in html
    assert "Air passenger" in html
    assert '<abbr title="Peru">PE</abbr>' in html
    route = [part.split(">")[-1] for part in html.split("</abbr>")[:-1]]
    assert route == ["PE", "AU", "NZ", "FJ"]
    assert "Draft" in html


@pytest.mark.parametrize(
    ("language", "row"),
    [
        (
            "en",
            '<td><time datetime="2026-01-11T10:30:00+12:00">11/01/2026 10:30</time></td>'
            "<td>{office}</td>"
            '<td class="seized"><ul class="plain">'
            '<li>Cocaine · <span class="nowrap">12,000.5 kilograms</span></li>'
            '<li>Undeclared currency · <span class="nowrap">5,000 FJD</span></li></ul>'
            '<p class="excerpt muted">&lt;script&gt;alert(1)&lt;/script&gt; {words}…</p></td>'
            "<td>X-ray or scanner</td><td>—</td>"
            '<td class="route"><abbr title="Peru">PE</abbr> <span aria-hidden="true">→</span>'
            '<span class="visually-hidden">then</span> <abbr title="New Zealand">NZ</abbr> '
            '<span aria-hidden="true">→</span><span class="visually-hidden">then</span> '
            '<abbr title="Fiji">FJ</abbr></td>'
            '<td><span class="status status-draft">Draft</span></td>',
        ),
        (
            "fr",
            '<td><time datetime="2026-01-11T10:30:00+12:00">11/01/2026 10:30</time></td>'
            "<td>{office}</td>"
            '<td class="seized"><ul class="plain">'
            '<li>Cocaïne · <span class="nowrap">12\xa0000,5 kilogrammes</span></li>'
            '<li>Devises non déclarées · <span class="nowrap">5\xa0000 FJD</span></li></ul>'
            '<p class="excerpt muted">&lt;script&gt;alert(1)&lt;/script&gt; {words}…</p></td>'
            "<td>Rayons X ou scanner</td><td>—</td>"
            '<td class="route"><abbr title="Pérou">PE</abbr> <span aria-hidden="true">→</span>'
            '<span class="visually-hidden">puis</span> <abbr title="Nouvelle-Zélande">NZ</abbr> '
            '<span aria-hidden="true">→</span><span class="visually-hidden">puis</span> '
            '<abbr title="Fidji">FJ</abbr></td>'
            '<td><span class="status status-draft">Brouillon</span></td>',
        ),
    ],
)
def test_a_known_seizures_row_is_written_exactly(fj_officer, language, row):
    """The whole row of one seizure, in both languages: the list writes it from plain rows,
    and this is the HTML it wrote from the model instances."""
    seizure = make_seizure(
        by=fj_officer,
        occurred_at=datetime(2026, 1, 10, 22, 30, tzinfo=UTC),
        transport_mode=None,
        departure_country="",
        transit_countries=["NZ"],
        narrative="<script>alert(1)</script> " + "word " * 30,
        items=[
            {
                "commodity": code("commodity", "cocaine"),
                "quantity": Decimal("12000.500"),
                "unit": code("unit", "kg"),
            },
            *_fijian_dollars(),
        ],
    )
    html = re.sub(r">\s*\n\s*<", "><", _list_in(language, fj_officer))
    link = f'<td class="nowrap"><a href="/seizures/{seizure.pk}/">{seizure.reference}</a></td>'
    expected = link + row.format(office=seizure.office.name, words="word " * 14 + "wor")
    assert f"<tr>{expected}</tr>" in html


# A row as the list's template wrote it, before the view wrote the rows (_row_html).
ROW_TEMPLATE = """<tr>
      <td class="nowrap"><a href="{{ seizure.link }}">{{ seizure.reference }}</a></td>
      <td><time datetime="{{ seizure.occurred_at }}">{{ seizure.occurred_at_shown }}</time></td>
      <td>{{ seizure.office }}</td>
      <td class="seized">
        <ul class="plain">
          {% for commodity, quantity in seizure.items %}<li>{{ commodity }} · {{ quantity }}</li>{% endfor %}
        </ul>
        {% if seizure.excerpt %}<p class="excerpt muted">{{ seizure.excerpt }}</p>{% endif %}
      </td>
      <td>{{ seizure.detection_method|default:"—" }}</td>
      <td>{{ seizure.transport_mode|default:"—" }}</td>
      <td class="route">{{ seizure.route }}</td>
      <td><span class="status status-{{ seizure.status }}">{{ seizure.status_label }}</span></td>
    </tr>"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "fr"])
def test_rows_are_written_as_the_template_wrote_them(fj_officer, language):
    office = OfficeFactory(administration=fj_officer.administration, name='Port "A" & <B>')
    make_seizure(by=fj_officer, narrative="<b>Bold</b> & " + "more " * 30, transit_countries=["NZ"])
    make_seizure(
        by=fj_officer,
        office=office,
        narrative="",
        detection_method=None,
        transport_mode=None,
        origin_country="",
        departure_country="",
        destination_country="",
        items=[
            *_fijian_dollars(),
            *_cigarettes(),
        ],
    )
    rows = list(selectors.seizure_list_plain(user=fj_officer).order_by("-pk").list_rows())
    items = selectors.seizure_list_items(rows=rows)
    with translation.override(language), timezone.override(ZoneInfo("Pacific/Fiji")):
        shown = _shown_rows(rows, items)
        template = Template(ROW_TEMPLATE)
        assert [_row_html(row) for row in shown] == [
            template.render(Context({"seizure": row})) for row in shown
        ]
        page = _list_in(language, fj_officer)
    for row in shown:
        assert f"\n    {_row_html(row)}\n" in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_list_dates_are_written_as_djangos_date_format_writes_them(language):
    moments = [
        datetime(2026, 1, 10, 22, 30, tzinfo=UTC),
        datetime(2026, 4, 5, 0, 0, 59, 123456, tzinfo=UTC),
        datetime(2025, 12, 31, 12, 5, tzinfo=UTC),
    ]
    formats = [
        "SHORT_DATETIME_FORMAT",
        "DATETIME_FORMAT",
        "c",
        r"\T\o\d\a\y: l j F Y, P (e, O, T) \\ U",
        "N jS, Y, g:i a",
        "",
    ]
    with translation.override(language), timezone.override(ZoneInfo("Pacific/Fiji")):
        for name in formats:
            format_string = get_format(name) if name.endswith("FORMAT") else name
            write = _datetime_writer(format_string)
            for moment in moments:
                local = timezone.localtime(moment)
                assert write(local) == dateformat.format(local, format_string), format_string


NARRATIVES = [
    "Short & plain.",
    "x" * 99 + "<",
    "y" * 100 + ">",
    "Cartons of <cigarettes> " * 8,
    "Café crème, résumé naïve " * 6,
    "e\u0301" * 60 + " décomposé",  # an accent as a combining mark: NFC joins it
    "\u0301" * 150,
    " " * 120,
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_narratives_are_cut_as_truncatechars_cut_them(fj_officer, language):
    for minute, narrative in enumerate(NARRATIVES):
        make_seizure(
            by=fj_officer,
            narrative=narrative,
            occurred_at=datetime(2026, 1, 10, 12, 59 - minute, tzinfo=UTC),
        )
    make_seizure(by=fj_officer, narrative="", occurred_at=datetime(2026, 1, 9, tzinfo=UTC))
    page = _list_in(language, fj_officer)
    excerpts = re.findall(r'<p class="excerpt muted">(.*?)</p>', page, re.DOTALL)
    with translation.override(language):
        assert excerpts == [escape(truncatechars(text, 100)) for text in NARRATIVES]


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html).group(0)


def test_the_filters_offer_code_lists_and_offices_as_they_are_now(fj_officer, fj_admin):
    """The filters' options are written once per list of choices: an entry added, renamed
    or retired, a new office and the other language are on the next page."""
    client = signed_in_client(fj_officer)
    before = _list(client)
    drugs = code("commodity", "drugs")
    entry = services.code_add(
        by=fj_admin,
        code_list="commodity",
        code="betel_nut",
        label="Betel nut",
        label_fr="Noix de bétel",
        parent=drugs,
    )
    office = OfficeFactory(administration=fj_officer.administration, name="Nadi & Lautoka")
    html = _list(client)
    assert f'<option value="{entry.pk}">Betel nut</option>' in _select(html, "commodity")
    assert f'<option value="{office.pk}">Nadi &amp; Lautoka</option>' in _select(html, "office")
    assert "Betel nut" not in before
    assert "Nadi" not in before

    services.code_update(
        by=fj_admin, code=entry, label="Areca nut", label_fr="Noix d'arec", is_retired=True
    )
    html = _list(client, commodity=entry.pk, route_country="FJ")
    commodities = _select(html, "commodity")
    assert f'<option value="{entry.pk}" selected>Areca nut</option>' in commodities
    assert "Betel" not in html
    assert commodities.count(" selected") == 1
    assert '<option value="FJ" selected>Fiji</option>' in _select(html, "route_country")
    assert '<option value="FJ">Fiji</option>' in _select(html, "origin_country")

    client.cookies["django_language"] = "fr"
    html = _list(client, office=office.pk)
    assert f'<option value="{entry.pk}">Noix d&#x27;arec</option>' in _select(html, "commodity")
    assert f'<option value="{office.pk}" selected>Nadi &amp; Lautoka</option>' in html
    assert '<option value="" selected>Tous</option>' in _select(html, "route_country")
    assert '<option value="FJ">Fidji</option>' in _select(html, "route_country")


def test_list_shows_times_in_the_administrations_time_zone(fj_officer):
    make_seizure(by=fj_officer, occurred_at=datetime(2026, 1, 10, 22, 30, tzinfo=UTC))
    # Fiji is twelve hours ahead of UTC in January.
    assert "11/01/2026 10:30" in _list(signed_in_client(fj_officer))


def test_list_filters_by_text(fj_officer):
    lining = make_seizure(by=fj_officer, narrative="Powder sewn into the suitcase lining.")
    other = make_seizure(by=fj_officer, narrative="Found in a spare tyre.")
    html = _list(signed_in_client(fj_officer), q="lining")
    assert lining.reference in html
    assert other.reference not in html
    assert "1 seizure matches." in html


def test_list_filters_by_commodity_group(fj_officer):
    cocaine = make_seizure(by=fj_officer)
    cigarettes = make_seizure(by=fj_officer, items=_cigarettes())
    drugs = Code.objects.get(list="commodity", code="drugs", administration__isnull=True)
    html = _list(signed_in_client(fj_officer), commodity=drugs.pk)
    assert cocaine.reference in html
    assert cigarettes.reference not in html


def test_list_filters_by_route_country(fj_officer):
    via_auckland = make_seizure(by=fj_officer, transit_countries=["NZ"])
    direct = make_seizure(by=fj_officer)
    html = _list(signed_in_client(fj_officer), route_country="NZ")
    assert via_auckland.reference in html
    assert direct.reference not in html


def test_a_repeated_route_country_asks_for_routes_through_every_one(fj_officer):
    """The dashboard's map links so; the form keeps a select per country, and the export
    and the API take the same."""
    via_auckland = make_seizure(by=fj_officer, transit_countries=["NZ"], origin_country="PE")
    from_lima = make_seizure(by=fj_officer, origin_country="PE")
    via_auckland_from_sydney = make_seizure(
        by=fj_officer, transit_countries=["NZ"], origin_country="AU"
    )
    client = signed_in_client(fj_officer)
    query = {"route_country": ["NZ", "PE"]}
    html = _list(client, **query)
    assert via_auckland.reference in html
    assert from_lima.reference not in html
    assert via_auckland_from_sydney.reference not in html
    selected = re.findall(
        r'<select name="route_country"( id="[^"]+")?[^>]*>.*?<option value="(\w*)" selected>',
        html,
        re.S,
    )
    assert selected == [(' id="id_route_country"', "NZ"), (' id="id_route_country_1"', "PE")]
    assert 'href="/seizures/export.csv?route_country=NZ&amp;route_country=PE"' in html
    api = api_client(fj_officer).get("/api/v1/seizures/", query).json()
    assert [row["reference"] for row in api["results"]] == [via_auckland.reference]


def test_list_sorts_by_reference(fj_officer):
    first = make_seizure(by=fj_officer, occurred_at=datetime(2026, 1, 2, tzinfo=UTC))
    second = make_seizure(by=fj_officer, occurred_at=datetime(2026, 1, 1, tzinfo=UTC))
    client = signed_in_client(fj_officer)
    newest_first = _list(client)
    assert newest_first.index(first.reference) < newest_first.index(second.reference)
    by_reference = _list(client, ordering="-reference")
    assert by_reference.index(second.reference) < by_reference.index(first.reference)
    assert 'aria-sort="descending"' in by_reference


def test_invalid_filter_shows_the_error_and_no_rows(fj_officer):
    seizure = make_seizure(by=fj_officer)
    html = _list(signed_in_client(fj_officer), occurred_from="not a date", commodity="999999")
    assert seizure.reference not in html
    assert "Enter a valid date." in html
    assert "Select a valid choice." in html
    assert "No seizures are shown" in html
    assert "Export CSV" not in html


def test_unknown_parameters_on_the_page_are_ignored(fj_officer):
    seizure = make_seizure(by=fj_officer)
    assert seizure.reference in _list(signed_in_client(fj_officer), utm_source="mail")


def test_list_paginates_by_fifty(fj_officer):
    for _ in range(51):
        make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    first_page = _list(client)
    assert "51 seizures match." in first_page
    assert len(ROW_LINK.findall(first_page)) == 50
    assert "Page 1 of 2" in first_page
    second_page = _list(client, page=2)
    assert len(ROW_LINK.findall(second_page)) == 1


def test_export_links_carry_the_filters(fj_officer):
    make_seizure(by=fj_officer, transit_countries=["NZ"])
    html = _list(signed_in_client(fj_officer), route_country="NZ", page=1)
    assert 'href="/seizures/export.csv?route_country=NZ"' in html
    assert 'href="/seizures/export.xlsx?route_country=NZ"' in html


def test_record_button_for_officers_only(fj_officer, fj_admin):
    assert 'href="/seizures/new/">Record a seizure' in _list(signed_in_client(fj_officer))
    assert 'class="button primary" href="/seizures/new/"' not in _list(signed_in_client(fj_admin))


def test_narrative_is_escaped_in_list_and_detail(fj_officer):
    seizure = make_seizure(by=fj_officer, narrative="<script>alert(1)</script>\nSecond line")
    client = signed_in_client(fj_officer)
    for html in (_list(client), client.get(f"/seizures/{seizure.pk}/").content.decode()):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    detail = client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "&lt;/script&gt;<br>Second line" in detail


def test_detail_is_404_for_another_administration(fj_officer, ws_officer):
    seizure = make_seizure(by=fj_officer)
    assert signed_in_client(ws_officer).get(f"/seizures/{seizure.pk}/").status_code == 404


def test_detail_needs_sign_in(fj_officer):
    from django.test import Client

    seizure = make_seizure(by=fj_officer)
    response = Client().get(f"/seizures/{seizure.pk}/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_detail_shows_every_section(fj_officer):
    seizure = make_seizure(
        by=fj_officer,
        location_type=code("location_type", "airport"),
        procedure=code("customs_procedure", "import"),
        flight_number="FJ910",
        transit_countries=["NZ"],
        items=[
            {
                "commodity": code("commodity", "cocaine"),
                "quantity": Decimal("2.5"),
                "unit": code("unit", "kg"),
                "description": "Two blocks",
                "estimated_value": Decimal("250000"),
                "currency": "FJD",
            }
        ],
        offences=[
            {
                "legal_provision": "Customs Act 1986, s. 137",
                "offence_type": code("offence_type", "smuggling"),
                "status": code("offence_status", "under_investigation"),
            }
        ],
    )
    html = signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/").content.decode()
    for text in (
        "Circumstances",
        "Airport",
        "Import",
        "Suva Port",
        "FJ910",
        "New Zealand",
        "Peru",
        "Drugs \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}</span> Cocaine",
        "2.5 kilograms",
        "250,000.00 FJD",
        "Customs Act 1986, s. 137",
        "Smuggling",
        "No photos or documents attached.",
    ):
        assert text in html, text


def test_detail_shows_photos_and_documents(fj_officer):
    seizure = make_seizure(by=fj_officer)
    photo = Attachment.objects.create(
        seizure=seizure,
        kind=Attachment.Kind.PHOTO,
        file="attachments/2026/01/a.jpg",
        thumbnail="attachments/thumbnails/2026/01/a.jpg",
        original_name="suitcase.jpg",
        content_type="image/jpeg",
        size=120_000,
        sha256="0" * 64,
        caption='Lining "opened"',
        uploaded_by=fj_officer,
    )
    document = Attachment.objects.create(
        seizure=seizure,
        kind=Attachment.Kind.DOCUMENT,
        file="attachments/2026/01/b.pdf",
        original_name="report.pdf",
        content_type="application/pdf",
        size=2_500_000,
        sha256="1" * 64,
        uploaded_by=fj_officer,
    )
    html = signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/").content.decode()
    assert (
        f'<a href="/attachments/{photo.pk}/"><img src="/attachments/{photo.pk}/thumbnail/" '
        'alt="Lining &quot;opened&quot;"'
    ) in html
    assert f'<a href="/attachments/{document.pk}/" download>report.pdf</a>' in html
    assert "2.4\xa0MB" in html


def test_history_shows_creation_and_the_fields_an_update_changed(fj_officer):
    seizure = make_seizure(by=fj_officer)
    services.seizure_update(
        by=fj_officer,
        seizure=seizure,
        expected_version=1,
        values={"flight_number": "FJ910", "narrative": "Rewritten"},
    )
    html = signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/").content.decode()
    history = html[html.index('id="history"') :]
    assert "Seizure recorded" in history
    assert "Seizure changed" in history
    assert "flight number, narrative and modus operandi" in history.replace("</td>", "")
    assert "fj.officer" in history
    assert history.index("Seizure recorded") < history.index("Seizure changed")
    assert '"flight_number"' not in history


def test_edit_link_for_those_who_may_edit(fj_officer, fj_supervisor, fj_admin):
    seizure = make_seizure(by=fj_officer)
    edit = f'href="/seizures/{seizure.pk}/edit/"'
    for user, shown in ((fj_officer, True), (fj_supervisor, True), (fj_admin, False)):
        html = signed_in_client(user).get(f"/seizures/{seizure.pk}/").content.decode()
        assert (edit in html) is shown, user.username


def test_changed_fields_compares_top_level_keys_in_the_records_order():
    assert changed_fields({"narrative": "a", "office": 1}, {"narrative": "b", "office": 2}) == [
        "office",
        "narrative",
    ]
    before = {"narrative": "a", "items": [{"quantity": "1"}], "version": 1, "gone": 1}
    after = {"narrative": "a", "items": [{"quantity": "2"}], "version": 2, "new": 1}
    assert changed_fields(before, after) == ["items", "gone", "new", "version"]
    assert changed_fields(None, {"narrative": "a"}) == ["narrative"]


def test_history_reads_only_this_records_entries(fj_officer):
    first = make_seizure(by=fj_officer)
    second = make_seizure(by=fj_officer)
    html = signed_in_client(fj_officer).get(f"/seizures/{first.pk}/").content.decode()
    history = html[html.index('id="history"') :]
    assert history.count("Seizure recorded") == 1
    assert AuditEntry.objects.filter(object_id=str(second.pk)).exists()
