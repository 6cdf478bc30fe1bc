"""Small helpers the tests share."""


def present[T](value: T | None) -> T:
    """The value, failing the test where it is missing (a row, a regex match, a pipe): what
    the test reads next is then typed as there."""
    assert value is not None
    return value
