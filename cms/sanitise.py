"""The one place untrusted HTML and text are cleaned.

bleach, which the design first named, stopped being maintained in 2026 (6.4.0 was its last
release, with no security fixes to follow), so this uses nh3, the Rust ammonia binding its
maintainers point to. Everything a member of the public or an imported course package supplies
passes through one of these two functions before it is stored.
"""

import html
import re

import nh3

# Wagtail's default rich-text features (h2–h4, bold, italic, lists, links, hr) as HTML tags.
RICH_TEXT_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "ol", "ul", "li", "a", "hr",
    "blockquote", "sub", "sup", "code",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_html(value: str) -> str:
    """Reduce untrusted HTML to Wagtail's rich-text allow-list; scripts and handlers go."""
    return nh3.clean(
        value or "",
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_text(value: str) -> str:
    """Plain text from untrusted input: markup removed, control characters dropped.

    The result is still escaped when rendered; this makes sure no markup is ever stored.
    """
    stripped = nh3.clean(value or "", tags=set(), clean_content_tags={"script", "style"})
    return _CONTROL_CHARS.sub("", html.unescape(stripped)).strip()


def normalise_email(email: str | None) -> str:
    """How an address is stored and compared everywhere: trimmed and lower-case, so one person
    cannot hold two places, and erasure and subject access find every row."""
    return (email or "").strip().lower()
