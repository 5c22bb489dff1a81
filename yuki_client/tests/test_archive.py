"""Archive uploads and folders; our Archive WSDL against Yuki's real one."""

from datetime import datetime
from decimal import Decimal

import pytest
from lxml import etree

from sandbox.yuki import data
from tests.published_files import published
from yuki_client import ArchiveFolder, DocumentFolder, YukiConfigurationError
from yuki_client.results import read_documents

# Yuki's own Archive WSDL as published (docs/vendors/yuki.md, "Sources"), and its copy readable offline by
# zeep: the vendor's files, not ours (tests/published_files.py says where they are read from).
REAL_ARCHIVE_WSDL = ("yuki", "Archive.asmx.wsdl.xml")
REAL_ARCHIVE_WSDL_OFFLINE = ("yuki", "Archive.asmx.wsdl.zeep-offline.xml")
PDF = b"%PDF-1.7\n% loonstrook november 2026\n%%EOF\n"


def test_a_payslip_is_stored_in_the_personnel_folder(client, sandbox):
    document_id = client.upload_document(data.DEMO_ADMINISTRATION_ID, "loonstrook-2026-11-jansen.pdf", PDF,
                                         ArchiveFolder.PERSONNEL)

    [stored] = sandbox.app.state.archive
    assert (stored.id, stored.file_name, stored.data, stored.folder, stored.administration_id) == (
        document_id, "loonstrook-2026-11-jansen.pdf", PDF, 4, data.DEMO_ADMINISTRATION_ID)
    assert sandbox.app.faults.calls["yuki:UploadDocument"] == 1


def test_optional_fields_use_upload_document_with_data(client, sandbox):
    client.upload_document(data.DEMO_ADMINISTRATION_ID, "loonaangifte-2026-11.pdf", PDF, ArchiveFolder.TAX,
                           amount=Decimal("612.40"), remarks="Loonaangifte november")

    [stored] = sandbox.app.state.archive
    assert stored.folder == 5
    assert stored.fields == {"currency": "EUR", "amount": Decimal("612.40"), "costCategory": "",
                             "paymentMethod": 0, "project": "", "remarks": "Loonaangifte november"}
    assert sandbox.app.faults.calls["yuki:UploadDocumentWithData"] == 1


def test_document_folders(client):
    folders = client.document_folders()
    assert DocumentFolder(4, "Personeel") in folders
    assert DocumentFolder(5, "Belasting") in folders
    assert {f.id for f in folders} == {1, 2, 3, 4, 5, 7, 8}


def test_an_empty_file_is_refused_before_any_call(client, sandbox):
    with pytest.raises(YukiConfigurationError, match="empty"):
        client.upload_document(data.DEMO_ADMINISTRATION_ID, "leeg.pdf", b"", ArchiveFolder.PERSONNEL)
    assert sandbox.app.faults.calls == {}


def _element(wsdl: etree._Element, name: str):
    found = wsdl.xpath(f"//s:schema/s:element[@name='{name}']", namespaces={"s": "http://www.w3.org/2001/XMLSchema"})
    assert found, name
    return [(e.get("name"), e.get("type"), e.get("minOccurs"), e.get("maxOccurs"))
            for e in found[0].iter("{http://www.w3.org/2001/XMLSchema}element")]


def test_our_archive_wsdl_declares_operations_exactly_as_yukis_real_one(sandbox):
    import httpx2

    ours = etree.fromstring(httpx2.get(sandbox.base_url + "Archive.asmx?WSDL").content)
    real = etree.parse(str(published(*REAL_ARCHIVE_WSDL))).getroot()
    for name in ("UploadDocument", "UploadDocumentWithData", "DocumentFolders", "SearchDocuments", "Authenticate",
                 "AuthenticateByUserName", "Domains", "SetCurrentDomain", "GetCurrentDomain", "Administrations",
                 "AdministrationID"):
        assert _element(ours, name) == _element(real, name)
        assert _element(ours, name + "Response") == _element(real, name + "Response")
        action = f"//wsdl:binding[@name='ArchiveSoap']/wsdl:operation[@name='{name}']/soap:operation/@soapAction"
        namespaces = {"wsdl": "http://schemas.xmlsoap.org/wsdl/", "soap": "http://schemas.xmlsoap.org/wsdl/soap/"}
        assert ours.xpath(action, namespaces=namespaces) == real.xpath(action, namespaces=namespaces)
    for enumeration in ("SearchOption", "DocumentSortOrder"):  # SearchDocuments' enum types
        assert _enumeration(ours, enumeration) == _enumeration(real, enumeration)


def _enumeration(wsdl: etree._Element, name: str) -> list[str]:
    found = wsdl.xpath(f"//s:schema/s:simpleType[@name='{name}']/s:restriction[@base='s:string']/s:enumeration/@value",
                       namespaces={"s": "http://www.w3.org/2001/XMLSchema"})
    assert found, name
    return found


@pytest.mark.filterwarnings("ignore::UserWarning")  # zeep on the HttpGet/HttpPost bindings
def test_a_client_built_from_yukis_real_archive_wsdl_is_served(sandbox):
    import zeep

    real = zeep.Client(str(published(*REAL_ARCHIVE_WSDL_OFFLINE)))
    service = real.create_service("{http://www.theyukicompany.com/}ArchiveSoap", sandbox.base_url + "Archive.asmx")
    session_id = service.Authenticate(data.DEMO_ACCESS_KEY)
    document_id = service.UploadDocument(session_id, "jaaropgave-2026.pdf", PDF, 4, data.DEMO_ADMINISTRATION_ID)
    service.UploadDocumentWithData(session_id, "b.pdf", PDF, 5, data.DEMO_ADMINISTRATION_ID, "EUR",
                                   Decimal("1.00"), "", 0, "", "opmerking")
    folders = service.DocumentFolders(session_id)
    found = service.SearchDocuments(session_id, "All", "JAAROPGAVE", -1, -1, "CreatedDesc", datetime(1, 1, 1),
                                    datetime(1, 1, 1), 10, 0)

    assert [f.id for f in sandbox.app.state.archive] == [document_id, sandbox.app.state.archive[1].id]
    assert sandbox.app.state.archive[1].fields["remarks"] == "opmerking"
    assert folders is not None
    assert [(d.id, d.file_name, d.folder) for d in read_documents(found)] == [(document_id, "jaaropgave-2026.pdf", 4)]
