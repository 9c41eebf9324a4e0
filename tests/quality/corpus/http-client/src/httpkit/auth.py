import base64


class HTTPBasicAuth:
    """Attach HTTP Basic Authentication to a request.

    Example::

        >>> auth = HTTPBasicAuth("alice", "hunter2")
        >>> auth.header()
        'Basic YWxpY2U6aHVudGVyMg=='
    """

    def __init__(self, username, password):
        self.username = username
        self.password = password

    def header(self):
        token = base64.b64encode(f"{self.username}:{self.password}".encode("latin1")).decode()
        return f"Basic {token}"
