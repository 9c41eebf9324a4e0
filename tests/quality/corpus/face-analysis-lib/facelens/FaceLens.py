from typing import Any, Dict, List, Union

import numpy as np

from facelens.modules import demography, recognition, verification


def verify(img1_path, img2_path, model_name="VGG-Face", detector_backend="opencv", distance_metric="cosine") -> Dict[str, Any]:
    return verification.verify(img1_path, img2_path, model_name=model_name,
                               detector_backend=detector_backend, distance_metric=distance_metric)


def analyze(img_path: Union[str, np.ndarray], actions=("emotion", "age", "gender", "race"),
            enforce_detection: bool = True, detector_backend: str = "opencv") -> List[Dict[str, Any]]:
    """Analyze facial attributes such as age, gender, emotion and race of every face."""
    return demography.analyze(img_path, actions=actions, enforce_detection=enforce_detection,
                              detector_backend=detector_backend)


def find(img_path, db_path: str, model_name="VGG-Face", distance_metric="cosine", threshold=None):
    """Identify the faces of an image in a database of identities (one folder per person)."""
    return recognition.find(img_path, db_path, model_name=model_name, distance_metric=distance_metric,
                            threshold=threshold)
