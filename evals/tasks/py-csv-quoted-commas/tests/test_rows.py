import unittest
from src.rows import parse_rows


class T(unittest.TestCase):
    def test_quoted(self):
        self.assertEqual(parse_rows('"Smith, John",42\nAda,36\n'), [['Smith, John', '42'], ['Ada', '36']])

    def test_escaped_quote(self):
        self.assertEqual(parse_rows('"say ""hi""",1\n'), [['say "hi"', '1']])


if __name__ == "__main__":
    unittest.main()
