"""A run that finds a document still held for a person says so, per kind, instead of reading as if all
was well ("1 journaalpost moet nog worden gecontroleerd", not "0 geboekt, 12 ongewijzigd")."""

from django.utils import translation

from portal.imports import summaries
from portal.models import EntryState, LedgerEntry, RunStatus, RunTrigger
from tests.engine.test_engine_nmbrs import import_now


def hold(**filters) -> int:
    return LedgerEntry.objects.filter(**filters).update(state=EntryState.NEEDS_CHECK, check_by_person=True)


def test_a_scheduled_run_that_sees_a_held_journal_says_so(bakkerij_nmbrs, yuki):
    first = import_now(bakkerij_nmbrs)
    assert first.status == RunStatus.SUCCEEDED and "gecontroleerd" not in first.result, first.result
    assert hold(kind="journal") == 1
    run = import_now(bakkerij_nmbrs, trigger=RunTrigger.SCHEDULED)
    assert run.booked == 0
    assert "1 journaalpost moet nog worden gecontroleerd" in run.result, run.result
    assert "salarisstro" not in run.result
    with translation.override("en"):
        assert "1 journal entry still needs to be checked" in summaries.summary(run)


def test_each_kind_is_named_with_its_plural(bakkerij_nmbrs, yuki):
    import_now(bakkerij_nmbrs)
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"journal", "payslip"} <= kinds
    hold()  # every document of the administration
    run = import_now(bakkerij_nmbrs, trigger=RunTrigger.SCHEDULED)
    for kind in kinds:
        n = LedgerEntry.objects.filter(kind=kind).count()
        assert summaries.held_for_a_person(kind, n) in run.result, run.result
    assert "1 journaalpost moet nog worden gecontroleerd" in run.result
    assert "1 salarisstrook moet nog worden gecontroleerd" in run.result
    expected = {
        "journal": ("1 journaalpost moet", "2 journaalposten moeten", "1 journal entry still needs", "2 journal entries still need"),
        "payslip": ("1 salarisstrook moet", "2 salarisstroken moeten", "1 payslip still needs", "2 payslips still need"),
        "wage_tax_return": ("1 loonaangifte moet", "2 loonaangiften moeten", "1 wage tax return still needs",
                            "2 wage tax returns still need"),
        "sepa": ("1 SEPA-bestand moet", "2 SEPA-bestanden moeten", "1 SEPA file still needs", "2 SEPA files still need"),
        "annual_document": ("1 jaarwerkdocument moet", "2 jaarwerkdocumenten moeten", "1 annual document still needs",
                            "2 annual documents still need"),
    }
    for kind, (one_nl, two_nl, one_en, two_en) in expected.items():
        assert summaries.held_for_a_person(kind, 1) == f"{one_nl} nog worden gecontroleerd"
        assert summaries.held_for_a_person(kind, 2) == f"{two_nl} nog worden gecontroleerd"
        with translation.override("en"):
            assert summaries.held_for_a_person(kind, 1) == f"{one_en} to be checked"
            assert summaries.held_for_a_person(kind, 2) == f"{two_en} to be checked"


def test_a_held_document_of_the_run_itself_is_named_once(bakkerij_nmbrs, yuki):
    run = import_now(bakkerij_nmbrs)
    LedgerEntry.objects.filter(kind="journal").update(state=EntryState.NEEDS_CHECK, check_by_person=True,
                                                      last_run=run)
    run.refresh_from_db()
    text = summaries.summary(run, checks=1)
    assert text.count("gecontroleerd") == 1 and "1 journaalpost moet nog worden gecontroleerd" in text, text
    # One still waiting for the machine's own check keeps the short wording.
    LedgerEntry.objects.filter(kind="payslip").update(state=EntryState.NEEDS_CHECK, check_by_person=False,
                                                      last_run=run)
    assert "1 moet worden gecontroleerd" in summaries.summary(run, checks=2)
