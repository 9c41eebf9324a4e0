import os
import tempfile


def test_password_is_not_logged(monkeypatch):
    # Create the temp file before the module checks for it, so there is no race
    # condition between the check and the write when tests run in parallel.
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        assert os.path.exists(path)
    finally:
        os.unlink(path)
