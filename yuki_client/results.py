"""Typed views of Yuki's XmlNode results (Domains, Administrations, DocumentFolders, imports).

Their exact layout is not public (FACTS.md: only the Archive WSDL is, and it says `s:any`), so the
readers are lenient: an ID may be an attribute or a child element, a name may be Name or Description.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _items(result, tag: str) -> list:
    root = as_element(result)
    if root is None:
        return []
    return [element for element in root.iter() if isinstance(element.tag, str) and _local(element) == tag]


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


def read_import_result(result) -> tuple[ImportResult, str]:
    """(result, error text). Yuki "returns an error message" when an import fails (seed 004); a
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
