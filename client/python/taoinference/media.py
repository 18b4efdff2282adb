"""Turns file paths and URLs into Media messages."""

import os
from typing import Union

from taoinference._proto import pb

_URL_PREFIXES = ("http://", "https://", "data:")


def media_from(source: Union[str, os.PathLike, "pb.Media"]) -> "pb.Media":
    """A Media for a URL (sent as is) or a local file (sent as bytes).

    The file name travels along: the server derives the MIME type from its
    extension and checks it against the architecture.
    """
    if isinstance(source, pb.Media):
        return source
    text = os.fspath(source)
    if text.startswith(_URL_PREFIXES):
        return pb.Media(url=text)
    with open(text, "rb") as file:
        data = file.read()
    return pb.Media(data=data, filename=os.path.basename(text))
