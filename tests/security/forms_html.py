"""Reads an HTML form the way a browser submits it (for the lost-update tests)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._select = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select":
            self._select = {"name": a.get("name"), "first": None, "chosen": [], "multiple": "multiple" in a}
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._select["first"] is None:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["chosen"].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and self._select["first"] is not None and not self._select["multiple"]:
                chosen = [self._select["first"]]
            self._form.extend((self._select["name"], v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self._form.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_with_field(html: str, field: str) -> dict[str, list[str]]:
    """The fields of the form that contains ``field``, as name → list of values."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if any(name == field for name, _v in form):
            data: dict[str, list[str]] = {}
            for name, value in form:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form with a field {field!r} on the page")


def with_stand(client, url: str, data: dict) -> dict:
    """``data`` plus the version token (``stand``) of the edit form at ``url``, as a browser that
    opened the page would send it (core/versioning.py refuses an edit POST without it)."""
    html = client.get(url).content.decode()
    return {**data, "stand": form_with_field(html, "stand")["stand"][0]}
