import binascii
import mimetypes
import os


def choose_boundary():
    return binascii.hexlify(os.urandom(16)).decode()


def encode_multipart(fields, boundary=None):
    """Encode `fields` ({name: value or (filename, bytes[, content type])}) as multipart/form-data."""
    boundary = boundary or choose_boundary()
    body = bytearray()
    for name, value in fields.items():
        body += f"--{boundary}\r\n".encode()
        if isinstance(value, tuple):
            filename, data = value[0], value[1]
            ctype = value[2] if len(value) > 2 else mimetypes.guess_type(filename)[0] or "application/octet-stream"
            body += f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode()
            body += f"Content-Type: {ctype}\r\n\r\n".encode()
            body += data
        else:
            body += f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode()
        body += b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return bytes(body), f"multipart/form-data; boundary={boundary}"
