"""The chart of accounts of a Yuki administration: `AccountingInfo.GetGLAccountScheme`.

docs/vendors/yuki.md, "Chart of accounts": the operations catalogue types the answer as
`ArrayOfGlAccount`, each `GlAccount` with a `code` and a (misspelt) `descripton`. Those are the only
fields we read; an answer without any `code` is refused as unreadable rather than read as "no accounts",
which would make every journal wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from yuki_client.errors import UnreadableAnswerError

OPERATION = "GetGLAccountScheme"


@dataclass(frozen=True)
class GLAccount:
    code: str
    description: str = ""


def _field(item, name: str) -> str:
    if isinstance(item, etree._Element):
        found = next((child for child in item if isinstance(child.tag, str)
                      and etree.QName(child).localname == name), None)
        return (found.text or "").strip() if found is not None else ""
    value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
    return str(value).strip() if value is not None else ""


def _items(result) -> list:
    """zeep gives ArrayOfGlAccount as an object whose `GlAccount` is the list (or None when empty)."""
    if result is None:
        return []
    if isinstance(result, list):
        return result
    inner = result.get("GlAccount") if isinstance(result, dict) else getattr(result, "GlAccount", None)
    if inner is None:
        return []
    return list(inner) if isinstance(inner, list | tuple) else [inner]


def read(result) -> list[GLAccount]:
    accounts = []
    for item in _items(result):
        code = _field(item, "code")
        if not code:
            raise UnreadableAnswerError(f"Yuki answered {OPERATION} with an account without a code; the "
                                        "chart of accounts could not be read.", operation=OPERATION)
        accounts.append(GLAccount(code, _field(item, "descripton") or _field(item, "description")))
    return accounts
