"""The one exception the loader raises for bad data."""
from __future__ import annotations


class LoadError(ValueError):
    """A dataset that cannot be loaded: the message is one paragraph naming the
    file (and column) and saying how to fix it.  The CLI prints it as is.

    Raised for: a file that cannot be read at all, no ``projects`` table, a
    required column missing, two files for one table, two headers for one
    column, an empty (0-byte) table file.  Row-level problems never raise:
    they become rejections or warnings.  Line breaks in the message (from a
    library's report quoted in it) are folded, so the CLI prints one paragraph.
    """

    def __init__(self, message):
        super().__init__(" ".join(str(message).split()))
