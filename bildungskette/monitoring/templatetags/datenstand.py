"""``{% load datenstand %}`` – ``period|veraltet`` marks figures whose period is older than the chosen age."""

from django import template

from ..sources.selectors import is_stale

register = template.Library()


@register.filter
def veraltet(period) -> bool:
    return is_stale(period)
