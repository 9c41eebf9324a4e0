# -*- coding: utf-8 -*-
import dlib
import numpy as np
import PIL.Image

import face_match_models

face_detector = dlib.get_frontal_face_detector()
pose_predictor_5_point = dlib.shape_predictor(face_match_models.pose_predictor_five_point_model_location())
face_encoder = dlib.face_recognition_model_v1(face_match_models.face_recognition_model_location())


def _rect_to_css(rect):
    return rect.top(), rect.right(), rect.bottom(), rect.left()


def load_image_file(file, mode="RGB"):
    im = PIL.Image.open(file)
    if mode:
        im = im.convert(mode)
    return np.array(im)


def face_locations(img, number_of_times_to_upsample=1):
    return [_rect_to_css(face) for face in face_detector(img, number_of_times_to_upsample)]


def face_landmarks(face_image, face_locations=None):
    raw = _raw_landmarks(face_image, face_locations)
    return [[(p.x, p.y) for p in landmark.parts()] for landmark in raw]


def _raw_landmarks(face_image, face_locations=None):
    if face_locations is None:
        face_locations = face_detector(face_image, 1)
    else:
        face_locations = [dlib.rectangle(l, t, r, b) for t, r, b, l in face_locations]
    return [pose_predictor_5_point(face_image, loc) for loc in face_locations]


def face_encodings(face_image, known_face_locations=None, num_jitters=1):
    """Return the 128-dimension face encoding of each face in the image."""
    raw = _raw_landmarks(face_image, known_face_locations)
    return [np.array(face_encoder.compute_face_descriptor(face_image, s, num_jitters)) for s in raw]


def face_distance(face_encodings, face_to_compare):
    if len(face_encodings) == 0:
        return np.empty((0))
    return np.linalg.norm(face_encodings - face_to_compare, axis=1)


def compare_faces(known_face_encodings, face_encoding_to_check, tolerance=0.6):
    """Which of the known faces match the face to check."""
    return list(face_distance(known_face_encodings, face_encoding_to_check) <= tolerance)
