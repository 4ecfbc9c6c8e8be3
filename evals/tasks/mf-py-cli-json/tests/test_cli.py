import unittest
import json
import subprocess
import sys
from src.lib import load_user


class T(unittest.TestCase):
    def test_to_dict(self):
        self.assertEqual(load_user('ada').to_dict(), {'name': 'Ada', 'email': 'ada@example.com'})

    def test_json_flag(self):
        out = subprocess.run([sys.executable, '-m', 'src.cli', 'ada', '--json'], capture_output=True, text=True, check=True).stdout
        self.assertEqual(json.loads(out), {'name': 'Ada', 'email': 'ada@example.com'})

    def test_plain(self):
        out = subprocess.run([sys.executable, '-m', 'src.cli', 'ada'], capture_output=True, text=True, check=True).stdout
        self.assertEqual(out, 'Ada <ada@example.com>\n')


if __name__ == "__main__":
    unittest.main()
