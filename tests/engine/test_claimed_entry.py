"""The push's claim returns the entry it claimed, with its administration and domain, in its own
statement (the ORM's load of the entry was the push's largest CPU cost): built from the row as the ORM builds models, so it equals the ORM's load on every
concrete field, decrypted secrets, JSON, bytes and datetimes included, and reading the entry's
administration and domain queries nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.imports import leases
from portal.models import Domain, EntryState, LedgerEntry
from tests.vendor_state import make_administration

ACCESS_KEY = "3f1c0a52-access-key-of-bakkerij"


@pytest.fixture
def administration(db):
    domain = Domain.objects.create(name="Jansen Groep", yuki_domain_id="domain-1", payroll_link_active=True)
    return make_administration(
        domain=domain,
        name="Bakkerij Jansen B.V.",
        yuki_administration_id="administration-1",
        yuki_access_key=ACCESS_KEY,
        source="nmbrs",
        nmbrs_company_id=50001,
        nmbrs_company_number="101",
    )


def upload(administration) -> LedgerEntry:
    return LedgerEntry.objects.create(
        administration=administration,
        source="nmbrs",
        kind="payslip",
        source_id="ps-1",
        period="2026-03",
        title="Loonstrook maart",
        file_name="loonstrook.pdf",
        content_hash="a" * 64,
        content=b"%PDF-1.7\x00\xff",
        metadata={"employee": "Jansen", "number": 7},
        state=EntryState.FAILED,
        attempts=2,
        booked_at=timezone.now() - timedelta(days=3),
        pending_content=b"\x01\x02",
    )


def journal(administration) -> LedgerEntry:
    return LedgerEntry.objects.create(
        administration=administration,
        source="nmbrs",
        kind="journal",
        source_id="j-1",
        period="2026-03",
        title="Journaalpost maart",
        content_hash="b" * 64,
        journal_lines=[
            {"account": "4000", "amount": "1234.56", "description": "Bruto loon"},
            {"account": "1600", "amount": "-1234.56", "description": "Te betalen"},
        ],
        booked_journal_lines=[{"account": "4000", "amount": "1000.00"}],
        pending={"title": "Nieuwer"},
    )


def assert_same_fields(built, loaded):
    assert type(built) is type(loaded)
    assert built._state.db == loaded._state.db and built._state.adding is False, (
        "a later save() updates the row"
    )
    for field in built._meta.concrete_fields:
        mine, theirs = getattr(built, field.attname), getattr(loaded, field.attname)
        assert type(mine) is type(theirs) and mine == theirs, (field.name, mine, theirs)


@pytest.mark.parametrize("make", [upload, journal])
def test_the_claimed_entry_equals_the_orms_on_every_concrete_field(administration, make):
    pk = make(administration).pk
    claimed = leases.claim_for_push(pk, None)
    assert claimed is not None and claimed.token
    loaded = LedgerEntry.objects.select_related("administration__domain").get(pk=pk)
    assert loaded.state == EntryState.PUSHING and loaded.lease_token == claimed.token, "the row as claimed"

    assert_same_fields(claimed.entry, loaded)
    assert_same_fields(claimed.entry.administration, loaded.administration)
    assert_same_fields(claimed.entry.administration.domain, loaded.administration.domain)
    assert claimed.entry.administration.yuki_access_key == ACCESS_KEY, (
        "the secret decrypted, not its ciphertext"
    )
    if loaded.journal_lines is None:
        assert bytes(claimed.entry.content) == b"%PDF-1.7\x00\xff"
    else:
        assert claimed.entry.journal_lines[0]["account"] == "4000"


def test_the_claim_is_one_statement_and_the_administration_and_domain_come_with_it(
    administration, django_assert_num_queries
):
    pk = journal(administration).pk
    with django_assert_num_queries(1):
        claimed = leases.claim_for_push(pk, None)
    with django_assert_num_queries(0):
        assert claimed.entry.administration.domain.yuki_domain_id == "domain-1"
        assert claimed.entry.administration.yuki_access_key == ACCESS_KEY
    assert claimed.entry.events.get().kind == "claimed", "the claim's event is written by the same statement"


def test_an_entry_that_is_not_ours_is_not_claimed(administration):
    pk = upload(administration).pk
    token = leases.claim_for_push(pk, None).token
    assert isinstance(token, str) and token
    assert leases.claim_for_push(pk, None) is None, "already being pushed"
    assert leases.claim_for_push(pk, None) is None
