# -*- coding: utf-8 -*-

__author__ = "Face Match contributors"
__version__ = "1.4.0"

from .api import (  # noqa: F401
    compare_faces,
    face_distance,
    face_encodings,
    face_landmarks,
    face_locations,
    load_image_file,
)
