import numpy as np

from facelens.commons import weight_utils
from facelens.models.Demography import Demography
from facelens.models.facial_recognition import VGGFace

WEIGHTS_URL = "https://example.org/facelens/weights/race_model_single_batch.h5"

# Labels of the model's output layer, in order.
labels = ["asian", "indian", "black", "white", "middle eastern", "latino hispanic"]


class RaceClient(Demography):
    """Race model class."""

    def __init__(self):
        self.model = load_model()
        self.model_name = "Race"

    def predict(self, img: np.ndarray) -> np.ndarray:
        return self.model(img, training=False).numpy()[0, :]


def load_model(url=WEIGHTS_URL):
    base = VGGFace.base_model()
    classes = len(labels)
    race_model = VGGFace.with_head(base, classes)
    weight_file = weight_utils.download_weights_if_necessary("race_model_single_batch.h5", url)
    return weight_utils.load_model_weights(race_model, weight_file)
