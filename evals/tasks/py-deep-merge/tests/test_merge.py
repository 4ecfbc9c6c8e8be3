import unittest
from src.merge import deep_merge


class T(unittest.TestCase):
    def test_nested(self):
        self.assertEqual(deep_merge({'a': {'x': 1}}, {'a': {'y': 2}}), {'a': {'x': 1, 'y': 2}})

    def test_lists(self):
        self.assertEqual(deep_merge({'a': [1]}, {'a': [2]}), {'a': [1, 2]})

    def test_no_mutation(self):
        base = {'a': {'x': 1}}
        deep_merge(base, {'a': {'y': 2}})
        self.assertEqual(base, {'a': {'x': 1}})


if __name__ == "__main__":
    unittest.main()
