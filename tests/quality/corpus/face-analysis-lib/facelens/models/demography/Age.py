import numpy as np

from facelens.commons import weight_utils
from facelens.models.Demography import Demography
from facelens.models.facial_recognition import VGGFace

WEIGHTS_URL = "https://example.org/facelens/weights/age_model_weights.h5"


class ApparentAgeClient(Demography):
    def __init__(self):
        self.model = load_model()
        self.model_name = "Age"

    def predict(self, img: np.ndarray) -> np.float64:
        distribution = self.model(img, training=False).numpy()[0, :]
        return find_apparent_age(distribution)


def load_model(url=WEIGHTS_URL):
    age_model = VGGFace.with_head(VGGFace.base_model(), 101)
    weight_file = weight_utils.download_weights_if_necessary("age_model_weights.h5", url)
    return weight_utils.load_model_weights(age_model, weight_file)


def find_apparent_age(age_predictions: np.ndarray) -> np.float64:
    return np.sum(age_predictions * np.arange(0, 101))
