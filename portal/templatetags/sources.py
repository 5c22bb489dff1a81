"""`{{ run.source|source_label }}`: a payroll source's name from the registry (its key when it is gone)."""

from django import template

from portal.sources import registry

register = template.Library()


@register.filter
def source_label(key: str) -> str:
    try:
        return registry.get(key).label
    except registry.UnknownSource:
        return key
