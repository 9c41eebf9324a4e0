import numpy as np

from facelens.modules import representation

THRESHOLDS = {"VGG-Face": {"cosine": 0.68, "euclidean": 1.17, "euclidean_l2": 1.17}}


def find_distance(a, b, metric="cosine"):
    a, b = np.asarray(a), np.asarray(b)
    if metric == "cosine":
        return 1 - np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    if metric == "euclidean_l2":
        a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
    return np.linalg.norm(a - b)


def find_threshold(model_name, metric):
    return THRESHOLDS.get(model_name, {}).get(metric, 0.4)


def verify(img1_path, img2_path, model_name="VGG-Face", detector_backend="opencv", distance_metric="cosine"):
    """1:1 verification: do two pictures show the same person?"""
    e1 = representation.represent(img1_path, model_name, detector_backend)
    e2 = representation.represent(img2_path, model_name, detector_backend)
    distance = find_distance(e1, e2, distance_metric)
    threshold = find_threshold(model_name, distance_metric)
    return {"verified": bool(distance <= threshold), "distance": float(distance), "threshold": threshold}
