"""The ProcessJournal xmlDoc: Yuki's namespace, element order and balance rules (docs/vendors/yuki.md)."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from connectors.documents import JournalLine
from yuki_client import EntryLine, Journal, JournalError, JournalType, UnbalancedJournalError
from yuki_client.journal import JOURNAL_NS

NOV30 = date(2026, 11, 30)
DEC01 = date(2026, 12, 1)


def balanced_lines():
    return [
        EntryLine(NOV30, "40000", Decimal("2500.00"), "Bruto lonen november", contact_name="Jansen", contact_code="9921"),
        EntryLine(NOV30, "17100", Decimal("-612.40"), "Loonheffing"),
        EntryLine(NOV30, "18000", Decimal("-1887.60"), "Netto lonen"),
    ]


def local_names(element):
    return [etree.QName(child).localname for child in element]


def test_journal_xml_has_yukis_namespace_and_element_order():
    root = Journal("Loonjournaal 2026-11", balanced_lines()).to_xml(administration_id="adm-1")

    assert root.tag == f"{{{JOURNAL_NS}}}Journal"
    assert local_names(root) == ["AdministrationID", "DocumentSubject", "JournalType"] + ["JournalEntry"] * 3
    assert root[0].text == "adm-1"
    assert root[1].text == "Loonjournaal 2026-11"
    assert root[2].text == "GeneralJournal"
    first = root[3]
    assert local_names(first) == ["ContactName", "ContactCode", "EntryDate", "GLAccount", "Amount", "Description"]
    assert [child.text for child in first] == ["Jansen", "9921", "2026-11-30", "40000", "2500.00",
                                               "Bruto lonen november"]
    assert all(etree.QName(e).namespace == JOURNAL_NS for e in root.iter())


def test_lines_without_contact_leave_the_contact_elements_out():
    root = Journal("Loon", balanced_lines()).to_xml(administration_id="adm-1")

    assert local_names(root[4]) == ["EntryDate", "GLAccount", "Amount", "Description"]
    assert root[4].find(f"{{{JOURNAL_NS}}}Amount").text == "-612.40"


def test_coc_number_replaces_the_administration_id_never_both():
    root = Journal("Loon", balanced_lines()).to_xml(coc_number="12345672")
    assert local_names(root)[0] == "AdministrationCoCNumber"
    assert "AdministrationID" not in local_names(root)

    with pytest.raises(JournalError, match="not both"):
        Journal("Loon", balanced_lines()).to_xml(administration_id="adm-1", coc_number="12345672")
    with pytest.raises(JournalError):
        Journal("Loon", balanced_lines()).to_xml()


def test_accepts_the_portals_journal_lines():
    lines = [JournalLine.from_debit_credit(entry_date=NOV30, gl_account="40000", debit=Decimal("10"),
                                           credit=Decimal("0"), description="Bruto"),
             JournalLine.from_debit_credit(entry_date=NOV30, gl_account="18000", debit=Decimal("0"),
                                           credit=Decimal("10"), description="Netto")]
    root = Journal("Loon", lines, JournalType.GENERAL).to_xml(administration_id="adm-1")

    amounts = [e.text for e in root.iter(f"{{{JOURNAL_NS}}}Amount")]
    assert amounts == ["10.00", "-10.00"]


def test_an_unbalanced_journal_is_refused_with_the_difference():
    lines = balanced_lines()[:2]
    with pytest.raises(UnbalancedJournalError, match=r"sum to 1887\.60 instead of 0\.00"):
        Journal("Loon", lines)


def test_a_journal_balanced_in_total_but_not_per_date_is_refused():
    lines = [
        EntryLine(NOV30, "40000", Decimal("100.00"), "a"),
        EntryLine(NOV30, "18000", Decimal("-60.00"), "b"),
        EntryLine(DEC01, "18000", Decimal("-40.00"), "c"),
    ]
    with pytest.raises(UnbalancedJournalError, match=r"not balanced on 2026-11-30.*40\.00"):
        Journal("Loon", lines)


@pytest.mark.parametrize("amount", [Decimal("1.005"), 12.5, "12.50", Decimal("NaN")])
def test_amounts_must_be_decimals_in_cents(amount):
    line = EntryLine(NOV30, "40000", amount, "x")
    with pytest.raises(JournalError, match="line 1"):
        Journal("Loon", [line, EntryLine(NOV30, "18000", Decimal("-12.50"), "y")])


def test_missing_subject_gl_account_lines_or_bad_type_are_refused():
    with pytest.raises(JournalError, match="subject"):
        Journal(" ", balanced_lines())
    with pytest.raises(JournalError, match="no lines"):
        Journal("Loon", [])
    with pytest.raises(JournalError, match="GL account"):
        Journal("Loon", [EntryLine(NOV30, "", Decimal("0.00"), "x")])
    with pytest.raises(JournalError, match="journal type"):
        Journal("Loon", balanced_lines(), "Memoriaal")
