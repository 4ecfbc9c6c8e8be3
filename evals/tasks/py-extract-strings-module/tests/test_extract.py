import unittest
import pathlib
from src.utils.strings import title_case, snake_case
from src.app import greet


class T(unittest.TestCase):
    def test_helpers(self):
        self.assertEqual(title_case('ada lovelace'), 'Ada Lovelace')
        self.assertEqual(snake_case('Hello World'), 'hello_world')
        self.assertEqual(greet('ada lovelace'), 'Hello, Ada Lovelace!')

    def test_moved(self):
        self.assertNotIn('def title_case', pathlib.Path('src/app.py').read_text())


if __name__ == "__main__":
    unittest.main()
