import unittest
from src.roman import to_roman


class T(unittest.TestCase):
    def test_values(self):
        for number, expected in [(4, 'IV'), (9, 'IX'), (14, 'XIV'), (40, 'XL'), (90, 'XC'), (400, 'CD'), (1994, 'MCMXCIV')]:
            self.assertEqual(to_roman(number), expected, number)


if __name__ == "__main__":
    unittest.main()
