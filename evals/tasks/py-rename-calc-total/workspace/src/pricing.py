def calc_total(lines):
    return round(sum(qty * price for qty, price in lines), 2)
