import cv2
import numpy as np

from face_landmarks import detect_marks, get_landmark_model
from face_detector import find_faces, get_face_detector

left = [36, 37, 38, 39, 40, 41]
right = [42, 43, 44, 45, 46, 47]


def eye_on_mask(mask, side, shape):
    points = np.array([shape[i] for i in side], dtype=np.int32)
    return cv2.fillConvexPoly(mask, points, 255)


def find_eyeball_position(end_points, cx, cy):
    x_ratio = (end_points[0] - cx) / (cx - end_points[2])
    y_ratio = (cy - end_points[1]) / (end_points[3] - cy)
    if x_ratio > 3:
        return 1  # looking left
    if x_ratio < 0.33:
        return 2  # looking right
    if y_ratio < 0.33:
        return 3  # looking up
    return 0


def track_eyes(img, face_model, landmark_model):
    for face in find_faces(img, face_model):
        shape = detect_marks(img, landmark_model, face)
        mask = np.zeros(img.shape[:2], dtype=np.uint8)
        mask = eye_on_mask(mask, left, shape)
        mask = eye_on_mask(mask, right, shape)
        yield find_eyeball_position([shape[36][0], shape[37][1], shape[39][0], shape[40][1]], *shape[68])
