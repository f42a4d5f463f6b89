"""Post bodies: the one allow-list every body passes before it is stored or shown, and plain text.

The editor sends HTML; with JavaScript off the same textarea sends plain text. `body_html` accepts
both, so what a member typed is kept either way.
"""

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "h2", "h3", "ul", "ol", "li", "a", "blockquote"}
URL_PREFIXES = ("http://", "https://", "mailto:")

# Any tag-like "<x", "</x" or "<!": typed plain text ("harga <5000") rarely looks like that.
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
# Browsers' contenteditable and pasted text wrap lines in <div>; as paragraphs they keep their breaks.
_DIV = re.compile(r"<(/?)div\b[^>]*>", re.IGNORECASE)
_BLOCK = re.compile(r"<(p|br|h2|h3|ul|ol|li|blockquote|div)\b", re.IGNORECASE)
_BLOCK_END = re.compile(r"<br\s*/?>|</(p|h2|h3|li|blockquote|ul|ol)>", re.IGNORECASE)
_ONLY_PARAGRAPHS = re.compile(r"^(?:<p>(?:(?!</?p>).)*</p>)*$", re.DOTALL)
_BLANK_LINES = re.compile(r"\n\s*\n")
# Browsers leave "<p><br></p>" for blank lines, and "<p><ul>" comes out of the parser as "<p></p><ul>".
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>)*</p>")


def _keep_safe_href(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and not value.strip().lower().startswith(URL_PREFIXES):
        return None  # relative and javascript:/data: links alike: the public page shows no surprises
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}},
    attribute_filter=_keep_safe_href,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener ugc",
    strip_comments=True,
)


def sanitize(value: str) -> str:
    """HTML reduced to the allow-list: no script, style, event handler or javascript: URL survives."""
    return _EMPTY_PARAGRAPH.sub("", _CLEANER.clean(_DIV.sub(r"<\1p>", value or ""))).strip()


def looks_like_html(value: str) -> bool:
    return bool(_TAG.search(value or ""))


def text_to_html(text: str) -> str:
    """Plain text as paragraphs: blank lines separate paragraphs, single newlines become <br>."""
    return _paragraphs(text, escape=True)


def _paragraphs(text: str, *, escape: bool) -> str:
    paragraphs = _BLANK_LINES.split((text or "").replace("\r\n", "\n").strip())
    line = (lambda s: html.escape(s.strip(), quote=False)) if escape else str.strip
    return "".join("<p>" + "<br>".join(map(line, p.split("\n"))) + "</p>" for p in paragraphs if p.strip())


def body_html(value: str) -> str:
    """What the body field sent (editor HTML or plain text), as safe HTML; "" when it has no words."""
    if not looks_like_html(value):
        cleaned = text_to_html(value)
    elif _BLOCK.search(value):
        cleaned = sanitize(value)
    else:  # typed text with a tag or two (no editor): its blank lines still make paragraphs
        cleaned = sanitize(_paragraphs(value, escape=False))
    return cleaned if plain_text(cleaned) else ""  # an emptied editor still sends "<p><br></p>"


def editable_text(body: str) -> str:
    """The stored body for the plain textarea: plain text when it is only paragraphs, else its HTML.

    Without JavaScript a member then sees their words, not tags; `body_html` turns them back.
    """
    if not _ONLY_PARAGRAPHS.match(body or ""):
        return body
    paragraphs = re.findall(r"<p>(.*?)</p>", body, re.DOTALL)
    if any(_TAG.search(re.sub(r"<br>", "", p)) for p in paragraphs):
        return body  # bold, links... inside: keep the HTML rather than lose the formatting
    text = "\n\n".join(html.unescape(p.replace("<br>", "\n")) for p in paragraphs)
    return body if looks_like_html(text) else text  # typed "<b>" as text must stay text


def plain_text(value: str) -> str:
    """The body's words, tags removed and whitespace collapsed (for excerpts and search)."""
    spaced = _BLOCK_END.sub(lambda m: m.group(0) + " ", sanitize(value))
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())
