import socket
import threading


class LobbyClient:
    def __init__(self, host, port=7777):
        self.sock = socket.create_connection((host, port))
        # Guard the send buffer: the render thread and the input thread both send, and
        # without the lock a race condition could interleave two messages.
        self.lock = threading.Lock()

    def send(self, message: str):
        with self.lock:
            self.sock.sendall(message.encode() + b"\n")
