def title_case(text):
    return " ".join(word.capitalize() for word in text.split())


def snake_case(text):
    return "_".join(word.lower() for word in text.split())


def greet(name):
    return f"Hello, {title_case(name)}!"
