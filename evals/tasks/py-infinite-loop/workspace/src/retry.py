def retry(action, attempts):
    """Calls action() until it returns without raising, at most `attempts` times; re-raises the last error."""
    for _ in range(attempts):
        return action()
