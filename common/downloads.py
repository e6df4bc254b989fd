"""Serving stored files to the people allowed to read them.

Files are never published under a URL of their own (there is no /media/ route in any
environment): each app fetches the record through its scoped getter (404 for outsiders),
writes its read-audit entry, and answers with `stored_file_response`, which streams the file
from the storage as a download:

- `Content-Disposition: attachment` with the original name (RFC 6266 / RFC 5987
  `filename*=utf-8''…` for Chinese names), so the browser saves it instead of rendering it;
- `X-Content-Type-Options: nosniff`, so an uploaded file is never interpreted as HTML;
- `Cache-Control: no-store`, so no proxy or shared computer keeps a copy;
- a `sandbox` Content-Security-Policy, should a browser render it anyway.
"""

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, Http404

# Control characters (incl. CR/LF, which would break the header) and characters that are
# illegal or dangerous in file names on the platforms that will save the download.
_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
DEFAULT_DOWNLOAD_NAME = "download"


def safe_download_name(name: str, *, fallback: str = DEFAULT_DOWNLOAD_NAME) -> str:
    """The original name reduced to a plain file name fit for Content-Disposition."""
    name = unicodedata.normalize("NFC", name or "")
    # the last component only, whichever separator the uploading system used
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = _UNSAFE_CHARACTERS.sub("_", name).strip(" .")
    return name[:150] or fallback


def stored_file_response(
    name: str,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
    storage: Storage | None = None,
) -> FileResponse:
    """Stream the file stored as `name` as a download called `filename`.

    The caller has already checked that the user may read it (scoped getter) and written
    the read-audit entry. A file missing from the storage answers 404, not 500.
    """
    storage = storage or default_storage
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_download_name(filename),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
