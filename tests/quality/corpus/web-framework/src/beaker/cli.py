import os


def load_dotenv(path=None):
    """Load ".env" and ".flaskenv" files to set environment variables; existing ones win."""
    try:
        import dotenv
    except ImportError:
        return False
    if path is not None:
        return dotenv.load_dotenv(path, encoding="utf-8")
    loaded = False
    for name in (".env", ".beakerenv"):
        found = dotenv.find_dotenv(name, usecwd=True)
        if found:
            dotenv.load_dotenv(found, encoding="utf-8")
            loaded = True
    return loaded


def prepare_import(path):
    path = os.path.realpath(path)
    return os.path.splitext(os.path.basename(path))[0]
