class LRUCache:
    """A cache of at most `capacity` items; the least recently used goes first."""

    def __init__(self, capacity):
        self.capacity = capacity

    def get(self, key, default=None):
        raise NotImplementedError

    def put(self, key, value):
        raise NotImplementedError
