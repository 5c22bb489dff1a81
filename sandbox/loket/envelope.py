"""Loket's JSON envelopes, `filter`/`orderBy` and paging, as the sandbox serves them.

List:   {totalSize, pageSize, totalPages, currentPage, version, messages, _embedded}
Detail: {version, messages, content}
Error:  {version, messages: [{code, id, type, description, properties}]}
(NOTES-fields-and-flows.md, from Loket's official spec intro.)
"""

from __future__ import annotations

import math
import re
import uuid

from sandbox.loket.web import Response, json_response

DEFAULT_PAGE_SIZE = 250
_VERSION = {"obsoleteDate": None, "resourceVersion": "2018-01-01"}


def error(status: int, description: str, type_: str = "Exception", code: int | None = None) -> Response:
    message = {"code": code or status, "id": str(uuid.uuid4()), "type": type_, "description": description,
               "properties": []}
    return json_response({"version": _VERSION, "messages": [message]}, status)


def detail(content: dict) -> Response:
    return json_response({"version": _VERSION, "messages": [], "content": content})


def listing(items: list[dict], params: dict[str, str]) -> Response:
    try:
        items = apply_filter(items, params.get("filter", ""))
        items = apply_order(items, params.get("orderBy", ""))
        page_number = int(params.get("pageNumber") or 1)
        page_size = int(params.get("pageSize") or DEFAULT_PAGE_SIZE)
    except ValueError as exc:
        return error(400, f"Invalid query: {exc}", "BrokenBusinessRule")
    if page_number < 1 or page_size < 1:
        return error(400, "pageNumber and pageSize must be positive", "BrokenBusinessRule")
    total_pages = max(1, math.ceil(len(items) / page_size))
    start = (page_number - 1) * page_size
    return json_response({"totalSize": len(items), "pageSize": page_size, "totalPages": total_pages,
                          "currentPage": page_number, "version": _VERSION, "messages": [],
                          "_embedded": items[start:start + page_size]})


def _value(item: dict, dotted: str):
    """A nested field, case-insensitively ('payrollPeriod.year')."""
    current = item
    for part in dotted.split("."):
        if not isinstance(current, dict):
            return None
        match = next((k for k in current if k.lower() == part.lower()), None)
        if match is None:
            return None
        current = current[match]
    return current


_CONDITION = re.compile(r"\s*([\w.]+)\s+(eq|ne|lk|gt|ge|lt|le)\s+('(?:[^']|'')*'|\S+)\s*", re.IGNORECASE)


def _literal(text: str):
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.lower() == "null":
        return None
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def _compare(actual, op: str, expected) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool) or actual is None or expected is None:
        a, b = actual, expected
    elif isinstance(actual, int | float) and isinstance(expected, int | float):
        a, b = actual, expected
    else:
        a, b = str(actual).lower(), str(expected).lower()
    if op == "lk":
        return str(b).replace("*", "") in str(a)
    if op in ("eq", "ne"):
        return (a == b) == (op == "eq")
    if a is None or b is None:
        return False
    return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]


def apply_filter(items: list[dict], expression: str) -> list[dict]:
    """`a eq 1 and b.c lk 'x' or d ne 2`: 'and' binds tighter than 'or', as usual."""
    if not expression.strip():
        return items
    alternatives = []
    for alternative in re.split(r"\s+or\s+", expression, flags=re.IGNORECASE):
        conditions = []
        for part in re.split(r"\s+and\s+", alternative, flags=re.IGNORECASE):
            match = _CONDITION.fullmatch(part)
            if not match:
                raise ValueError(f"cannot parse filter condition {part!r}")
            conditions.append((match.group(1), match.group(2).lower(), _literal(match.group(3))))
        alternatives.append(conditions)
    return [item for item in items
            if any(all(_compare(_value(item, f), op, v) for f, op, v in conds) for conds in alternatives)]


def apply_order(items: list[dict], order_by: str) -> list[dict]:
    for field in reversed([f.strip() for f in order_by.split(",") if f.strip()]):
        descending = field.startswith("-")
        name = field.lstrip("-+")
        items = sorted(items, key=lambda item, n=name: (_value(item, n) is None, str(_value(item, n))
                                                        if not isinstance(_value(item, n), int | float)
                                                        else _value(item, n)), reverse=descending)
    return items
