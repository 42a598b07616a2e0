"""File names as a client sends them are not to be trusted: `../../etc/passwd`, `invoice\u202efdp.exe` (a
right-to-left override that shows as `invoiceexe.pdf`), control characters, names of 10,000 characters.

`safe_filename` keeps the last path component only, drops control, format (bidi overrides, zero-width) and
separator characters and the characters Windows refuses, trims dots and spaces at the ends (`..`, `.htaccess`
lose their leading dots) and bounds the length, keeping the extension. Every stored upload name goes through it.

`download_headers` are the headers every stored file is served with: always as a download
(`Content-Disposition: attachment`), never sniffed, and a type a browser would render or run (HTML, SVG, XHTML,
XML, script) replaced by `application/octet-stream`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_FILENAME = 200
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_WINDOWS_RESERVED = set('<>:"|?*')
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Types a browser renders as a page or runs: served as bytes to download instead.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/ecmascript",
        "text/ecmascript",
        "application/x-javascript",
        "text/xsl",
        "multipart/x-mixed-replace",
    }
)


def safe_filename(name: str | None, *, default: str = "file", max_length: int = MAX_FILENAME) -> str:
    """A name safe to store and to send back in a Content-Disposition header (see the module's docstring)."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for ch in text:
        if unicodedata.category(ch) in _DROPPED_CATEGORIES:
            continue
        kept.append("_" if ch in _WINDOWS_RESERVED else (" " if ch.isspace() else ch))
    text = " ".join("".join(kept).split()).strip(" .")
    if not text:
        return default
    if len(text) > max_length:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            text = stem[: max_length - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:max_length].rstrip(" .")
    return text or default


def safe_content_type(content_type: str | None) -> str:
    """The media type a client declared, as `type/subtype` only (no parameters, nothing to inject into a
    header); anything malformed is `application/octet-stream`."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media if _MEDIA_TYPE.fullmatch(media) else "application/octet-stream"


def served_content_type(content_type: str | None) -> str:
    """The type to serve a stored file as: what it was uploaded as, unless a browser would render or run it."""
    media = safe_content_type(content_type)
    if media in ACTIVE_TYPES or media.endswith(("+xml", "script")):
        return "application/octet-stream"
    return media


def download_headers(filename: str | None, content_type: str | None) -> dict[str, str]:
    """Headers for serving a stored file: a download named safely, not sniffed, with a type that is not active.
    Includes `Content-Type` for callers that build a Response without a media_type."""
    name = safe_filename(filename)
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {
        "Content-Type": served_content_type(content_type),
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff",
    }
