from .api import get, post, request  # noqa: F401
from .multipart import encode_multipart  # noqa: F401

__version__ = "0.9.2"
