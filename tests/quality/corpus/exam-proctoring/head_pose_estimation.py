import math

import cv2
import numpy as np

MODEL_POINTS = np.array([
    (0.0, 0.0, 0.0), (0.0, -330.0, -65.0), (-225.0, 170.0, -135.0),
    (225.0, 170.0, -135.0), (-150.0, -150.0, -125.0), (150.0, -150.0, -125.0),
])


def head_pose(image_points, size):
    focal_length = size[1]
    center = (size[1] / 2, size[0] / 2)
    camera_matrix = np.array([[focal_length, 0, center[0]], [0, focal_length, center[1]], [0, 0, 1]], dtype="double")
    _, rotation, translation = cv2.solvePnP(MODEL_POINTS, image_points, camera_matrix, np.zeros((4, 1)),
                                            flags=cv2.SOLVEPNP_UPNP)
    angles = cv2.decomposeProjectionMatrix(np.hstack((cv2.Rodrigues(rotation)[0], translation)))[6]
    pitch, yaw = [math.degrees(math.asin(math.sin(math.radians(a)))) for a in angles[:2, 0]]
    return "head down" if pitch > 15 else "head up" if pitch < -15 else "left" if yaw < -20 else "right" if yaw > 20 else None
