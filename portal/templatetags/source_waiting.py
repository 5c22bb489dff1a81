"""The run page's lines for documents waiting at the payroll source (portal.imports.waiting)."""

from django import template

from portal.imports.waiting import line

register = template.Library()


@register.simple_tag
def source_waiting_lines(run) -> list[str]:
    return [line(group) for group in run.source_waiting or []]
