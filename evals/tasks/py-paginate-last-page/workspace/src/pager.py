def paginate(items, page, size):
    """Items of 1-based page `page`, `size` per page."""
    start = (page - 1) * size
    return items[start:start + size - 1]
