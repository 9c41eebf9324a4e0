import os

from httpkit.multipart import encode_multipart

HERE = os.path.dirname(__file__)


def test_file_field_has_filename_and_type():
    body, ctype = encode_multipart({"file": ("a.txt", b"hello")}, boundary="b")
    assert ctype == "multipart/form-data; boundary=b"
    assert b'filename="a.txt"' in body
    assert b"Content-Type: text/plain" in body


def test_recorded_upload_round_trips():
    raw = open(os.path.join(HERE, "fixtures", "upload_server_key.http"), "rb").read()
    assert b"boundary=" in raw
