"""The one exception type for bad input, so every caller can turn it into a clear message."""

from __future__ import annotations


class InputError(ValueError):
    """Input that a method cannot use; the message says what is wrong and where."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = ""
        if source is not None and line is not None:
            where = f"{source}, line {line}: "
        elif source is not None:
            where = f"{source}: "
        elif line is not None:
            where = f"line {line}: "
        super().__init__(f"{where}{message}")
