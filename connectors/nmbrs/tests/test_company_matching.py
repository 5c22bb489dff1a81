from django.utils import translation

from connectors.nmbrs.companies import match_companies
from connectors.nmbrs.records import Company

COMPANIES = [Company(1, 101, "Bakkerij Jansen B.V."), Company(2, 102, "Jansen Vastgoed B.V."),
             Company(3, 201, "De Vries Fietsen"), Company(4, 201, "De Vries Verhuur")]


def test_administrations_are_linked_to_the_company_with_the_same_number():
    result = match_companies(COMPANIES, {"adm-a": "101", "adm-b": 102})
    assert [(m.administration, m.company.id) for m in result.matches] == [("adm-a", 1), ("adm-b", 2)]
    assert result.mismatches == []
    assert [c.id for c in result.unmatched_companies] == [3, 4]


def test_leading_zeros_and_spaces_do_not_matter():
    result = match_companies(COMPANIES, {"a": " 0101 "})
    assert result.matches[0].company.id == 1


def test_numbers_that_do_not_match_are_reported_with_the_reason():
    with translation.override("en"):
        result = match_companies(COMPANIES, {"a": "999", "b": "", "c": None, "d": "201", "e": "102", "f": "0102"})
    reasons = {m.administration: m.reason for m in result.mismatches}
    assert reasons["a"] == "no Nmbrs company has number 999"
    assert reasons["b"] == reasons["c"] == "the administration has no Relatiecode to match on"
    assert "several Nmbrs companies have number 201" in reasons["d"] and "De Vries Verhuur" in reasons["d"]
    assert "several administrations have Relatiecode 102" in reasons["e"] and "e" in reasons and "f" in reasons
    assert result.matches == []


def test_the_reasons_are_in_the_language_of_whoever_reads_them():
    with translation.override("nl"):
        result = match_companies(COMPANIES, {"a": "999"})
    assert result.mismatches[0].reason == "geen Nmbrs-bedrijf heeft nummer 999"
