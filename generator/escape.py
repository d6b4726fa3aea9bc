"""Escaping by construction: one function per context that data is written into.

- ``text``: HTML text and attribute values inside Markdown pages. Besides & < > " ', the
  characters Markdown or its extensions would act on (links [ ], emphasis *, code `,
  attribute lists { }, table cells |, escapes \\) become character references, so data
  can never become markup of either kind.
- ``front_matter``: a page's title or description, which the theme writes unescaped into
  HTML, so the value is escaped here and quoted for YAML.
- ``markdown``: a Markdown body, rendered and then sanitised with an allow-list (nh3).
- ``script_json``: JSON inside a ``<script>`` element, where ``</script>`` must not end it.
- ``bibtex``: a BibTeX field value, where braces and backslashes would break out.
- ``url``: an http(s) address, or an error.
"""

from __future__ import annotations

import html
import json
import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup

_TEXT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&#34;",
        "'": "&#39;",
        **{c: f"&#{ord(c)};" for c in "`*[]{}|\\"},
    }
)
_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})
_BIBTEX = str.maketrans(
    {
        "\\": "\\textbackslash{}",
        "{": "\\{",
        "}": "\\}",
        **{c: f"\\{c}" for c in "%&$#_"},
        "~": "\\textasciitilde{}",
        "^": "\\textasciicircum{}",
        "\n": " ",
        "\r": " ",
    }
)
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>`]+$")
_ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "em", "strong", "a", "code", "blockquote", "h3"}
_ALLOWED_TAGS |= {"h4", "table", "thead", "tbody", "tr", "th", "td"}


def text(value: object) -> object:
    """Jinja's ``finalize``: plain strings come out escaped for HTML and Markdown alike."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(value.translate(_TEXT))
    return value


def front_matter(value: str) -> Markup:
    """A YAML front-matter string whose value is safe to print raw in HTML."""
    return Markup(json.dumps(str(value).translate(_TEXT), ensure_ascii=False))


def markdown(body: str) -> Markup:
    """Markdown to HTML, then only an allow-list of tags and http(s) links survive."""
    html = markdown_lib.markdown(body, extensions=["tables"])
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https"},
        link_rel="external noopener",
    )
    return Markup(clean)


def script_json(value: object) -> str:
    """JSON that can sit inside <script> in an HTML page."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).translate(_SCRIPT)


def bibtex(value: str) -> str:
    return str(value).translate(_BIBTEX)


def url(value: str) -> Markup:
    """An http(s) address for an attribute; anything else is refused loudly."""
    if not _SAFE_URL.match(value or ""):
        raise ValueError(f'"{value}" is not an http(s) address')
    return Markup(html.escape(value))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell as a spreadsheet should see it: text that looks like a formula gets a ' first
    (as OWASP advises for CSV injection); numbers, and text that is a number, stay."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
