from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    """``{{ mapping|dictget:key }}`` – a value from a dict by a variable key (empty list if missing)."""
    if not mapping:
        return []
    return mapping.get(key, [])
