import unittest
from src.duration import parse_duration


class T(unittest.TestCase):
    def test_values(self):
        self.assertEqual(parse_duration('1h30m'), 5400)
        self.assertEqual(parse_duration('45s'), 45)
        self.assertEqual(parse_duration('2h'), 7200)

    def test_bad(self):
        for bad in ['', 'h', '10', '1x', '1h 2m']:
            with self.assertRaises(ValueError):
                parse_duration(bad)


if __name__ == "__main__":
    unittest.main()
