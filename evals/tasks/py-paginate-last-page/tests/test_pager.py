import unittest
from src.pager import paginate


class T(unittest.TestCase):
    def test_pages(self):
        items = list(range(7))
        self.assertEqual(paginate(items, 1, 3), [0, 1, 2])
        self.assertEqual(paginate(items, 3, 3), [6])
        self.assertEqual(paginate(items, 4, 3), [])


if __name__ == "__main__":
    unittest.main()
