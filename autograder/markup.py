"""Making a student's markup inert before an instructor or a student looks at it.

Markdown and raw cells a student wrote reach the autograded notebook, which
nbgrader's formgrader renders and from which the feedback HTML is made; both
render HTML inside markdown as HTML. Everything the student wrote therefore
passes through nh3 (the Rust ``ammonia`` sanitiser): scripts, event handlers,
iframes, SVG, forms, styles and ``javascript:``/``data:`` URLs are removed,
and what is left is plain, harmless formatting. Text the grader writes itself
and that quotes the student (file names, for instance) is escaped instead.
"""

import functools
import html

import nh3

SAFE_URL_SCHEMES = {"http", "https", "mailto"}
# No images: an image from another site would tell its owner when, and from where, the page was read.
SAFE_TAGS = set(nh3.ALLOWED_TAGS) - {"img"}
_MARKDOWN_SPECIALS = "\\`*_{}[]()#+!|<>"


def inert_markdown(text):
    """``text`` rendered as nbconvert renders markdown, then sanitised by nh3: inert HTML.

    Markdown links are written outside HTML tags, so the markdown is rendered first (with the renderer
    the formgrader and the feedback use) and the HTML that comes out is what nh3 cleans. The result is
    one HTML block without line breaks (they become ``&#10;``), which markdown passes through as it is.
    """
    return _inert_markdown(str(text))


@functools.lru_cache(maxsize=4096)  # a class's notebooks share the released text: each cell is rendered once
def _inert_markdown(text):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    rendered = markdown2html_mistune(text)
    cleaned = nh3.clean(
        rendered, tags=SAFE_TAGS, url_schemes=SAFE_URL_SCHEMES, link_rel="noopener noreferrer nofollow"
    )
    return "<div>" + cleaned.replace("\r", "").replace("\n", "&#10;") + "</div>"


def inert_text(text):
    """``text`` quoted in a markdown cell the grader writes: no HTML, no markdown formatting."""
    escaped = html.escape(str(text), quote=False)
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in escaped)


def inert_cell(cell):
    """Make a cell that came from the student inert, in place; return it."""
    kind = cell.get("cell_type")
    if kind in ("markdown", "raw"):
        cell["source"] = inert_markdown(cell.get("source", ""))
    metadata = cell.get("metadata", {})
    for key in ("format", "raw_mimetype"):  # a raw cell marked as HTML is copied into the page as-is
        metadata.pop(key, None)
    cell.pop("attachments", None)  # rendered as data: URLs; an SVG one could carry a script
    return cell
