"""Which language a page is shown in.

German is the language of the product: a visitor sees German whatever the browser's
Accept-Language says. English is shown only when the visitor chose it with the switch (the
language cookie set by Django's ``set_language``), and only on pages that are fully translated:
their views carry ``@translated``. Every other page is rendered in German, says so in English, and
shows no switch, so no page comes out half English, half German.
``tests/core/test_language.py`` checks that every string of each ``@translated`` page has its
English translation.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

DEFAULT = "de"


def translated(view=None, *, when=None):
    """Mark a view whose page is translated completely (every template string and label);
    ``when=callable(request)`` if only some of its pages are (e.g. the start page for the public)."""

    def mark(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)

        wrapper.page_translated = when or True
        return wrapper

    return mark(view) if view is not None else mark


def page_is_translated(view_func, request) -> bool:
    flag = getattr(view_func, "page_translated", False)
    return bool(flag(request) if callable(flag) else flag)


def language_chosen(request) -> str:
    wanted = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return wanted if wanted in dict(settings.LANGUAGES) else DEFAULT


class LanguageMiddleware:
    """Replaces Django's LocaleMiddleware, which would follow Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.language_chosen = language_chosen(request)
        request.page_translated = False
        self._activate(request, request.language_chosen)
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.page_translated = page_is_translated(view_func, request)
        if not request.page_translated:
            self._activate(request, DEFAULT)

    @staticmethod
    def _activate(request, code: str) -> None:
        translation.activate(code)
        request.LANGUAGE_CODE = code
