"""The one error the format readers raise: a reason a person can act on."""


class FormatError(ValueError):
    """A file of a supported format that cannot be read; str() is the reason for documents.csv."""
