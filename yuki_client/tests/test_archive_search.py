"""SearchDocuments: finding an upload whose answer was lost, by its unique file name."""

from datetime import date, datetime, timedelta

import pytest
from lxml import etree

from sandbox.yuki import data, fault_texts, handlers
from sandbox.yuki.state import AMSTERDAM
from yuki_client import (
    ALL_YEARS,
    AmbiguousWriteError,
    ArchiveDocument,
    ArchiveFolder,
    CallBudgetExhausted,
    YukiConfigurationError,
    YukiTransportError,
)
from yuki_client.results import read_documents
from yuki_client.tests import soap_requests

PDF = b"%PDF-1.7\n% loonstrook\n%%EOF\n"
ADMINISTRATION = data.DEMO_ADMINISTRATION_ID


def upload(client, file_name: str, folder=ArchiveFolder.PERSONNEL) -> str:
    return client.upload_document(ADMINISTRATION, file_name, PDF, folder)


class Clock:
    """The sandbox's clock, set per upload (sessions stay valid: they were opened at the real time)."""

    def __init__(self, state):
        self.now = datetime.now(AMSTERDAM)
        state.clock = lambda: self.now


@pytest.fixture
def clock(sandbox, client):
    client.session_id()  # open the session at the real time, before the clock is moved
    return Clock(sandbox.app.state)


def test_an_upload_is_found_by_its_file_name_with_the_id_the_upload_returned(client, sandbox):
    document_id = upload(client, "loonstrook-2026-11-jansen-7f3a.pdf")
    upload(client, "loonstrook-2026-11-pietersen-91bc.pdf")

    [found] = client.search_documents("loonstrook-2026-11-jansen-7f3a.pdf")

    assert (found.id, found.file_name, found.folder) == (document_id, "loonstrook-2026-11-jansen-7f3a.pdf", 4)
    assert found.created.date() == datetime.now(AMSTERDAM).date()
    assert [d.id for d in client.search_documents("JANSEN-7F3A")] == [document_id]


def test_the_search_ignores_case_both_ways(client):
    document_id = upload(client, "Loonstrook-2026-11-Jansen.PDF")

    assert [d.id for d in client.search_documents("loonstrook-2026-11-jansen.pdf")] == [document_id]
    assert [d.id for d in client.search_documents("LOONSTROOK-2026-11-JANSEN")] == [document_id]


def test_a_name_that_was_not_uploaded_finds_nothing(client, sandbox):
    upload(client, "loonstrook-2026-11-jansen-7f3a.pdf")

    assert client.search_documents("loonstrook-2026-11-jansen-0000.pdf") == []
    assert sandbox.app.faults.calls["yuki:SearchDocuments"] == 1  # it was asked, not assumed


def test_documents_of_another_domain_are_not_found(make_client):
    other = make_client(access_key=data.OTHER_ACCESS_KEY, domain_id=data.OTHER_DOMAIN_ID)
    other.upload_document(data.OTHER_ADMINISTRATION_ID, "loonstrook-2026-11-vandijk.pdf", PDF,
                          ArchiveFolder.PERSONNEL)

    assert make_client().search_documents("loonstrook-2026-11") == []
    assert [d.file_name for d in other.search_documents("loonstrook-2026-11")] == ["loonstrook-2026-11-vandijk.pdf"]


def test_the_folder_filter(client):
    payslip = upload(client, "2026-11-loonstrook-jansen.pdf", ArchiveFolder.PERSONNEL)
    tax_return = upload(client, "2026-11-loonaangifte.pdf", ArchiveFolder.TAX)

    assert [d.id for d in client.search_documents("2026-11", folder=ArchiveFolder.PERSONNEL)] == [payslip]
    assert [d.id for d in client.search_documents("2026-11", folder=5)] == [tax_return]
    assert client.search_documents("2026-11", folder=ArchiveFolder.SALES) == []
    assert {d.id for d in client.search_documents("2026-11")} == {payslip, tax_return}
    assert {(d.id, d.folder) for d in client.search_documents("2026-11")} == {(payslip, 4), (tax_return, 5)}


def test_newest_first_by_upload_time_not_upload_order(client, clock):
    start = clock.now - timedelta(hours=3)
    ids = {}
    for hours, name in ((2, "b-middle.pdf"), (3, "c-newest.pdf"), (1, "a-oldest.pdf")):
        clock.now = start + timedelta(hours=hours)
        ids[name] = upload(client, f"loonstrook-{name}")

    found = client.search_documents("loonstrook-")

    assert [d.id for d in found] == [ids["c-newest.pdf"], ids["b-middle.pdf"], ids["a-oldest.pdf"]]
    assert found[0].created == (start + timedelta(hours=3)).replace(tzinfo=None, microsecond=0)


def test_paging_with_limit_and_offset(client, clock):
    start = clock.now - timedelta(hours=1)
    ids = []
    for minute in range(5):
        clock.now = start + timedelta(minutes=minute)
        ids.append(upload(client, f"jaaropgave-2026-{minute}.pdf"))
    newest_first = ids[::-1]

    assert [d.id for d in client.search_documents("jaaropgave", limit=2)] == newest_first[:2]
    assert [d.id for d in client.search_documents("jaaropgave", limit=2, offset=2)] == newest_first[2:4]
    assert [d.id for d in client.search_documents("jaaropgave", limit=2, offset=4)] == newest_first[4:]
    assert client.search_documents("jaaropgave", limit=2, offset=6) == []
    assert [d.id for d in client.search_documents("jaaropgave")] == newest_first


def test_dates_default_to_the_last_400_days_and_all_years_can_be_asked(client, clock):
    today = clock.now.date()
    clock.now -= timedelta(days=500)
    old = upload(client, "loonstrook-2025-oud.pdf")
    clock.now += timedelta(days=500)
    recent = upload(client, "loonstrook-2026-nieuw.pdf")

    assert [d.id for d in client.search_documents("loonstrook")] == [recent]
    assert [d.id for d in client.search_documents("loonstrook", start=ALL_YEARS)] == [recent, old]
    window = today - timedelta(days=500)
    assert [d.id for d in client.search_documents("loonstrook", start=window, end=window)] == [old]
    assert client.search_documents("loonstrook", start=window + timedelta(days=1),
                                   end=today - timedelta(days=1)) == []


def test_the_request_follows_the_wsdl_and_the_defaults(client, sandbox, monkeypatch):
    received = []
    original = handlers.HANDLERS["SearchDocuments"]
    monkeypatch.setitem(handlers.HANDLERS, "SearchDocuments",
                        lambda state, session, params: received.append(params) or original(state, session, params))
    today = datetime.now(AMSTERDAM).date()

    client.search_documents("loonstrook-x.pdf", limit=10, offset=3)
    client.search_documents("x", search_option="Subject", folder=4, tab=2, start=date(2026, 1, 1),
                            end=date(2026, 1, 31))
    client.search_documents("x", start=ALL_YEARS)

    first, second, third = ({k: v for k, v in p.items() if k != "sessionID"} for p in received)
    assert first == {"searchOption": "All", "searchText": "loonstrook-x.pdf", "folderID": -1, "tabID": -1,
                     "sortOrder": "CreatedDesc", "startDate": datetime.combine(today - timedelta(days=400), datetime.min.time()),
                     "endDate": datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(
                         hour=23, minute=59, second=59),
                     "numberOfRecords": 10, "startRecord": 3}
    assert (second["searchOption"], second["folderID"], second["tabID"]) == ("Subject", 4, 2)
    assert (second["startDate"], second["endDate"]) == (datetime(2026, 1, 1), datetime(2026, 1, 31, 23, 59, 59))
    assert (third["startDate"], third["endDate"]) == (datetime(1, 1, 1), datetime(1, 1, 1))


def test_a_search_is_counted_in_the_budget(make_client, sandbox):
    client = make_client(daily_budget=4)
    upload(client, "loonstrook.pdf")  # Authenticate + UploadDocument
    assert client.calls_today() == 2

    client.search_documents("loonstrook")
    assert client.calls_today() == 3
    assert sandbox.app.state.calls_on(data.DEMO_DOMAIN_ID) == 3

    client.search_documents("loonstrook")
    with pytest.raises(CallBudgetExhausted):
        client.search_documents("loonstrook")
    assert sandbox.app.faults.calls["yuki:SearchDocuments"] == 2  # the refused one was never sent


def test_an_expired_session_during_a_search_is_renewed_once(client, sandbox):
    document_id = upload(client, "loonstrook-jansen.pdf")
    sandbox.app.state.expire_sessions()

    assert [d.id for d in client.search_documents("loonstrook-jansen")] == [document_id]
    assert sandbox.app.state.authentications == 2
    assert sandbox.app.faults.calls["yuki:SearchDocuments"] == 2  # expired, retried


def test_yukis_expired_session_fault_text_during_a_search_renews_the_session(client, sandbox):
    document_id = upload(client, "loonstrook-jansen.pdf")
    sandbox.app.faults.add("soap_fault", vendor="yuki", operation="SearchDocuments",
                           message=fault_texts.SESSION_EXPIRED)

    assert [d.id for d in client.search_documents("loonstrook-jansen")] == [document_id]
    assert sandbox.app.state.authentications == 2


def test_a_search_whose_answer_is_lost_is_a_read_failure_not_an_ambiguous_write(client, sandbox):
    sandbox.app.faults.add("drop_after", vendor="yuki", operation="SearchDocuments")

    with pytest.raises(YukiTransportError) as info:
        client.search_documents("loonstrook")
    assert not isinstance(info.value, AmbiguousWriteError)
    assert info.value.request_sent


@pytest.mark.parametrize(("arguments", "message"), [
    ({"search_text": "  "}, "search text is required"),
    ({"search_text": "x", "search_option": "FileName"}, "Unknown Yuki search option"),
    ({"search_text": "x", "limit": 0}, "at least 1 document"),
    ({"search_text": "x", "offset": -1}, "at least 1 document"),
    ({"search_text": "x", "folder": -2}, "-1 for all"),
    ({"search_text": "x", "start": date(2026, 2, 1), "end": date(2026, 1, 1)}, "starts .* after it ends"),
])
def test_bad_arguments_are_refused_before_any_call(client, sandbox, arguments, message):
    search_text = arguments.pop("search_text")
    with pytest.raises(YukiConfigurationError, match=message):
        client.search_documents(search_text, **arguments)
    assert sandbox.app.faults.calls == {}


def _search_request(session_id: str, option: str = "All", sort: str = "<sortOrder>CreatedDesc</sortOrder>") -> str:
    return (f"<sessionID>{session_id}</sessionID><searchOption>{option}</searchOption>"
            "<searchText>x</searchText><folderID>-1</folderID><tabID>-1</tabID>" + sort +
            "<startDate>0001-01-01T00:00:00</startDate><endDate>0001-01-01T00:00:00</endDate>"
            "<numberOfRecords>10</numberOfRecords><startRecord>0</startRecord>")


def test_the_sandbox_refuses_what_asmx_would_refuse(sandbox):
    session_id = sandbox.app.state.open_session(data.DEMO_DOMAIN_ID, (ADMINISTRATION,))
    url = sandbox.base_url + "Archive.asmx"

    ok = soap_requests.post(url, "SearchDocuments", _search_request(session_id))
    unknown_option = soap_requests.post(url, "SearchDocuments", _search_request(session_id, option="FileName"))
    no_sort_order = soap_requests.post(url, "SearchDocuments", _search_request(session_id, sort=""))

    assert ok.status_code == 200
    assert unknown_option.status_code == 500
    assert b"'FileName' is not a valid value for SearchOption" in unknown_option.content
    assert no_sort_order.status_code == 500 and b"required element sortOrder is missing" in no_sort_order.content


# --- the lenient reader: the result layout is not public ---------------------------------------------

def _xml(text: str):
    return etree.fromstring(text)


def test_the_reader_takes_attributes_or_child_elements():
    as_attributes = _xml('<Documents><Document ID="a1" FileName="x.pdf" FolderID="4" Created="2026-11-03T10:15:00"/>'
                         '</Documents>')
    as_children = _xml("<Documents><Document><ID>a1</ID><FileName>x.pdf</FileName><FolderID>4</FolderID>"
                       "<Created>2026-11-03T10:15:00</Created></Document></Documents>")
    expected = [ArchiveDocument("a1", "x.pdf", 4, datetime(2026, 11, 3, 10, 15))]

    assert read_documents(as_attributes) == expected
    assert read_documents(as_children) == expected


def test_the_reader_accepts_other_names_and_date_forms_and_skips_documents_without_an_id():
    answer = _xml(
        '<r:Result xmlns:r="urn:x"><r:Documents>'
        '<r:Document><r:DocumentID>b2</r:DocumentID><r:Subject>y.pdf</r:Subject>'
        '<r:Folder ID="5">Belasting</r:Folder><r:Modified>03-11-2026 10:15:00</r:Modified></r:Document>'
        '<r:Document><r:FileName>zonder-id.pdf</r:FileName></r:Document>'
        '<r:Document Id="c3"><r:Filename>z.pdf</r:Filename><r:Folder>Personeel</r:Folder>'
        '<r:CreatedDate>2026-11-03T10:15:00.1234567+01:00</r:CreatedDate></r:Document>'
        '<r:Document id="d4"><r:Name>w.pdf</r:Name><r:Created>gisteren</r:Created></r:Document>'
        '</r:Documents></r:Result>')

    b2, c3, d4 = read_documents(answer)

    assert b2 == ArchiveDocument("b2", "y.pdf", 5, datetime(2026, 11, 3, 10, 15))
    assert (c3.id, c3.file_name, c3.folder) == ("c3", "z.pdf", None)
    assert c3.created.isoformat() == "2026-11-03T10:15:00.123456+01:00"
    assert d4 == ArchiveDocument("d4", "w.pdf", None, None)


def test_the_reader_prefers_the_file_name_over_the_subject():
    answer = _xml('<Documents><Document ID="e5"><Subject>Loonstrook november</Subject>'
                  '<FileName>loonstrook-2026-11.pdf</FileName></Document></Documents>')
    assert read_documents(answer)[0].file_name == "loonstrook-2026-11.pdf"
    assert read_documents(None) == []
    assert read_documents(_xml("<Documents/>")) == []
