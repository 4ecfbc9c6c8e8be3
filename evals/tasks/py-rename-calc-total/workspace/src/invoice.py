from src.pricing import calc_total


def invoice_line(lines):
    return f"Total: {calc_total(lines):.2f}"
