import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.forms.settings import AdministrationForm, ImportSettingsForm
from portal.models import ImportSettings, PortalSettings
from portal.models.domains import normalize_wage_tax_number, validate_wage_tax_number
from tests.people import assign


@pytest.mark.parametrize("value", ["812345678L01", "823456705L99", "000000000L99"])
def test_valid_wage_tax_numbers(value):
    validate_wage_tax_number(value)


@pytest.mark.parametrize("value", ["12345678L01", "1234567890L01", "123456789B01", "123456789L1",
                                   "123456789L012", "ABCDEFGHIL01", "123456789-L01",
                                   # the 11-test, subnumber 00, digits of other scripts
                                   "123456789L01", "812345678L00", "８１２３４５６７８L01", "٨١٢٣٤٥٦٧٨L01"])
def test_invalid_wage_tax_numbers(value):
    with pytest.raises(ValidationError):
        validate_wage_tax_number(value)


def test_wage_tax_number_is_normalised_as_people_type_it():
    assert normalize_wage_tax_number("8123.45.678.l.01") == "812345678L01"
    assert normalize_wage_tax_number(" 812345678 L 01 ") == "812345678L01"


def form_data(**changes):
    data = {"name": "X", "yuki_administration_id": "00000000-0000-4000-8000-000000000001", "yuki_access_key": "key", "source": "loket",
            "relation_code": "1", "wage_tax_number": "812345678l01", "use_portal_loket_access": "on",
            "use_portal_import_settings": "on"}
    data.update(changes)
    return data


@pytest.mark.django_db
def test_administration_form_normalises_and_validates_the_wage_tax_number(acme):
    from portal.models import Administration

    form = AdministrationForm(form_data(), instance=Administration(domain=acme))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["wage_tax_number"] == "812345678L01"
    form = AdministrationForm(form_data(wage_tax_number="12345L01"), instance=Administration(domain=acme))
    assert not form.is_valid()
    assert "9 cijfers" in str(form.errors["wage_tax_number"])


@pytest.mark.django_db
def test_loket_administration_needs_client_number_and_wage_tax_number(acme):
    from portal.models import Administration

    form = AdministrationForm(form_data(relation_code="", wage_tax_number=""),
                              instance=Administration(domain=acme))
    assert not form.is_valid()
    assert set(form.errors) >= {"relation_code", "wage_tax_number"}
    # An Nmbrs administration does not need them.
    form = AdministrationForm(form_data(source="nmbrs", relation_code="", wage_tax_number=""),
                              instance=Administration(domain=acme))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("first,last,ok", [(1, 31, True), (1, 1, True), (0, 10, False), (1, 32, False),
                                           (20, 10, False)])
@pytest.mark.django_db
def test_import_window_days(first, last, ok):
    form = ImportSettingsForm({"first_day": first, "last_day": last, "wage_tax_return_status": "locked"},
                              instance=ImportSettings())
    assert form.is_valid() is ok, form.errors


@pytest.mark.django_db
def test_database_refuses_a_reversed_window_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportSettings.objects.create(first_day=20, last_day=10)


@pytest.mark.parametrize("first,last,warned", [(1, 7, True), (1, 8, False), (10, 16, True), (10, 31, False)])
def test_a_window_under_seven_days_is_allowed_with_the_seeds_advice(first, last, warned):
    from django.utils import translation

    with translation.override("en"):  # the warning is lazy: read it while English is active
        warning = str(ImportSettings(first_day=first, last_day=last).window_warning() or "")
    assert bool(warning) is warned
    if warned:
        assert "seven days" in warning


@pytest.mark.django_db
def test_saving_a_short_window_shows_the_advice_as_a_warning(users, login):
    client = login(users["alice"])
    response = client.post(reverse("portal:settings"), {
        "section": "import", "import-auto_import": "on", "import-first_day": "10", "import-last_day": "12",
        "import-wage_tax_return_status": "locked"}, follow=True)
    assert PortalSettings.load().import_settings.last_day == 12, "a short window is allowed"
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings and "zeven dagen" in warnings[0], "Dutch by default, with the seed's advice"



def test_every_document_kind_has_a_label():
    from connectors import kinds
    from connectors.documents import DocumentKind

    assert {kind.key for kind in kinds.all_kinds()} >= set(DocumentKind)
    assert all(kinds.label_of(kind.value) != kind.value for kind in DocumentKind)


@pytest.mark.django_db
def test_a_formatted_wage_tax_number_is_accepted_and_stored_normalised(users, acme_admin, login):
    assign(acme_admin.domain, "loket", "1", "812345678L01")  # the shared access reaches assigned employers only
    client = login(users["carol"])
    response = client.post(reverse("portal:administration-edit", args=[acme_admin.pk]), {
        **form_data(name="Acme B.V.", yuki_administration_id="00000000-0000-4000-8000-000000000002", yuki_access_key=""),
        "wage_tax_number": "8123.45.678.L.01"})
    assert response.status_code == 302, response.content.decode()[:300]
    acme_admin.refresh_from_db()
    assert acme_admin.wage_tax_number == "812345678L01"


@pytest.mark.django_db
def test_a_duplicate_yuki_administration_id_is_a_form_error_not_a_crash(users, acme_admin, login):
    acme_admin.yuki_administration_id = "2b8c4c41-5a0e-4d7c-9d0c-0f3a7d1e00aa"
    acme_admin.save()
    client = login(users["carol"])
    response = client.post(reverse("portal:administration-create", args=[acme_admin.domain.pk]),
                           form_data(name="Acme Twee", yuki_administration_id="2B8C4C41-5A0E-4D7C-9D0C-0F3A7D1E00AA"))
    assert response.status_code == 200
    assert "al deze Yuki administratie-ID" in response.content.decode()
