"""Typed views of Yuki's XmlNode results (Domains, Administrations, DocumentFolders, SearchDocuments,
imports).

Their exact layout is not public (docs/vendors/yuki.md: only the Archive WSDL is, and it says `s:any`), so the
readers are lenient: an ID may be an attribute or a child element, a name may be Name or Description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    url: str = ""


@dataclass(frozen=True)
class Administration:
    id: str
    name: str
    coc_number: str = ""


@dataclass(frozen=True)
class DocumentFolder:
    id: int
    name: str


@dataclass(frozen=True)
class ArchiveDocument:
    """A document SearchDocuments found. `folder` and `created` are None when Yuki's answer lacks them."""

    id: str
    file_name: str
    folder: int | None = None
    created: datetime | None = None


# SearchDocuments answers an `s:any` block whose layout is not public: this is our whole guess at it.
# A document is an element named one of DOCUMENT_ELEMENTS anywhere in the answer; each field is the
# first of its names found as an attribute, else as a child element (names tried in this order; an ID
# the way `_identifier` reads it). The sandbox (sandbox/yuki/handlers.py) answers with the first names.
DOCUMENT_ELEMENTS = ("Document", "ArchiveDocument")
DOCUMENT_FIELDS = {
    "id": ("ID", "Id", "id", "DocumentID", "DocumentId"),
    "file_name": ("FileName", "Filename", "fileName", "OriginalFileName", "Name", "Subject"),
    "folder": ("FolderID", "FolderId", "folderID", "Folder"),
    "created": ("Created", "CreatedDate", "DateCreated", "CreationDate", "Modified", "ModifiedDate",
                "LastModified", "DateModified"),
}
_DUTCH_DATES = ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y")


@dataclass(frozen=True)
class ImportResult:
    """What a PettyCash import returned: the created document's ID when Yuki gives one, and the raw XML."""

    document_id: str
    raw_xml: str


def as_element(result) -> etree._Element | None:
    """zeep gives an `s:any` result either as the element or as an object holding it in `_value_1`."""
    if result is None or isinstance(result, etree._Element):
        return result
    value = getattr(result, "_value_1", None)
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, etree._Element)), None)
    return value if isinstance(value, etree._Element) else None


def _local(element) -> str:
    return etree.QName(element).localname


def _child_text(element, *names: str) -> str:
    for child in element:
        if isinstance(child.tag, str) and _local(child) in names:
            return (child.text or "").strip()
    return ""


def _identifier(element) -> str:
    for attribute in ("ID", "Id", "id"):
        if element.get(attribute):
            return element.get(attribute)
    return _child_text(element, "ID", "Id", "id")


def _items(result, *tags: str) -> list:
    root = as_element(result)
    if root is None:
        return []
    return [element for element in root.iter() if isinstance(element.tag, str) and _local(element) in tags]


def read_domains(result) -> list[Domain]:
    return [Domain(_identifier(e), _child_text(e, "Name", "Description"), _child_text(e, "URL", "Url"))
            for e in _items(result, "Domain")]


def read_administrations(result) -> list[Administration]:
    return [Administration(_identifier(e), _child_text(e, "Name"), _child_text(e, "CoCNumber", "COCNumber"))
            for e in _items(result, "Administration")]


def read_folders(result) -> list[DocumentFolder]:
    folders = []
    for element in _items(result, "Folder") + _items(result, "DocumentFolder"):
        identifier = _identifier(element)
        if identifier.isdigit():
            folders.append(DocumentFolder(int(identifier), _child_text(element, "Description", "Name")
                                          or (element.text or "").strip()))
    return folders


def _fields(element, names: tuple[str, ...]):
    """The non-empty values of the attributes, then child elements, with these names, in the order of
    `names`; a child element gives its text and its own ID (as in `<Folder ID="4">Personeel</Folder>`)."""
    children = [child for child in element if isinstance(child.tag, str)]
    for name in names:
        values = [element.get(name, "")]
        for child in children:
            if _local(child) == name:
                values += [child.text or "", _identifier(child) if len(child) or child.attrib else ""]
        yield from (value.strip() for value in values if value and value.strip())


def _folder(element) -> int | None:
    for value in _fields(element, DOCUMENT_FIELDS["folder"]):
        if value.lstrip("-").isdigit():
            return int(value)
    return None


def _moment(element) -> datetime | None:
    for value in _fields(element, DOCUMENT_FIELDS["created"]):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
        for pattern in _DUTCH_DATES:
            try:
                return datetime.strptime(value, pattern)
            except ValueError:
                pass
    return None


def read_documents(result) -> list[ArchiveDocument]:
    """The documents in a SearchDocuments answer, in Yuki's order; elements without an ID are skipped."""
    documents = []
    for element in _items(result, *DOCUMENT_ELEMENTS):
        identifier = next(_fields(element, DOCUMENT_FIELDS["id"]), "")
        if identifier:
            file_name = next(_fields(element, DOCUMENT_FIELDS["file_name"]), "")
            documents.append(ArchiveDocument(identifier, file_name, _folder(element), _moment(element)))
    return documents


def read_import_result(result) -> tuple[ImportResult, str]:
    """(result, error text). Yuki "returns an error message" when an import fails (docs/vendors/yuki.md); a
    result holding an Error/ErrorMessage element is read as such a failure."""
    root = as_element(result)
    if root is None:
        return ImportResult("", ""), ""
    clean = etree.fromstring(etree.tostring(root))
    etree.cleanup_namespaces(clean)  # drop the envelope's declarations lxml carries along
    raw = etree.tostring(clean, encoding="unicode")
    error = ""
    document_id = ""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element)
        if name in ("Error", "ErrorMessage", "Errors") and (element.text or "").strip():
            error = element.text.strip()
        elif name in ("DocumentID", "DocumentId", "ID") and not document_id:
            document_id = (element.text or "").strip()
    return ImportResult(document_id, raw), error
