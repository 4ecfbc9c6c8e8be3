from dataclasses import dataclass


@dataclass
class User:
    name: str
    email: str


def load_user(handle):
    return User(name=handle.title(), email=f"{handle}@example.com")
