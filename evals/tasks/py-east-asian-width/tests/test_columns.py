import unittest
from src.columns import pad


class T(unittest.TestCase):
    def test_wide(self):
        self.assertEqual(pad('日本', 6), '日本  ')
        self.assertEqual(pad('ab', 4), 'ab  ')
        self.assertEqual(pad('日本語', 4), '日本語')


if __name__ == "__main__":
    unittest.main()
