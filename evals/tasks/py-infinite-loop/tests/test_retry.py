import unittest
from src.retry import retry


class T(unittest.TestCase):
    def test_succeeds_later(self):
        calls = []

        def flaky():
            calls.append(1)
            if len(calls) < 3:
                raise OSError('busy')
            return 'ok'

        self.assertEqual(retry(flaky, 5), 'ok')
        self.assertEqual(len(calls), 3)

    def test_gives_up(self):
        def broken():
            raise OSError('down')

        with self.assertRaises(OSError):
            retry(broken, 3)


if __name__ == "__main__":
    unittest.main()
