import sys
from src.lib import load_user


def main(argv):
    user = load_user(argv[0])
    print(f"{user.name} <{user.email}>")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
