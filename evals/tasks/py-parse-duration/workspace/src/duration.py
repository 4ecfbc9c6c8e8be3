def parse_duration(text):
    """Seconds in a duration such as '1h30m', '45s', '2h'."""
    raise NotImplementedError
