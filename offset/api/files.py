"""Responses that carry a file to save: the body, its media type and its name."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response


def disposition(filename: str, ascii_name: str | None = None) -> dict[str, str]:
    """Return the Content-Disposition header of an attachment named `filename`; a name that
    is not plain ASCII (a Japanese report number) goes as filename* beside `ascii_name`, the
    name old clients see."""
    if ascii_name is None:
        return {"Content-Disposition": f'attachment; filename="{filename}"'}
    return {"Content-Disposition": f'attachment; filename="{ascii_name}"; '
                                   f"filename*=UTF-8''{quote(filename)}"}


def attachment(body: bytes, media_type: str, filename: str) -> Response:
    """Return `body` as a file to save under `filename`."""
    return Response(body, media_type=media_type, headers=disposition(filename))
