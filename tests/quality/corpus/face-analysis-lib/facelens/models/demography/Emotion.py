import cv2
import numpy as np

from facelens.commons import weight_utils
from facelens.models.Demography import Demography

WEIGHTS_URL = "https://example.org/facelens/weights/facial_expression_model_weights.h5"

labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


class EmotionClient(Demography):
    def __init__(self):
        self.model = load_model()
        self.model_name = "Emotion"

    def predict(self, img: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(img[0], cv2.COLOR_BGR2GRAY)
        gray = cv2.resize(gray, (48, 48))
        return self.model.predict(np.expand_dims(gray, axis=(0, -1)), verbose=0)[0, :]


def load_model(url=WEIGHTS_URL):
    from tensorflow.keras import layers, models

    model = models.Sequential([
        layers.Conv2D(64, (5, 5), activation="relu", input_shape=(48, 48, 1)),
        layers.MaxPooling2D(pool_size=(5, 5), strides=(2, 2)),
        layers.Flatten(),
        layers.Dense(1024, activation="relu"),
        layers.Dense(len(labels), activation="softmax"),
    ])
    weight_file = weight_utils.download_weights_if_necessary("facial_expression_model_weights.h5", url)
    model.load_weights(weight_file)
    return model
