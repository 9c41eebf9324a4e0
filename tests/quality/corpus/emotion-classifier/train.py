import argparse

import numpy as np
import pandas as pd
from tensorflow.keras import layers, models
from tensorflow.keras.utils import to_categorical

EMOTIONS = ["angry", "disgusted", "fearful", "happy", "sad", "surprised", "neutral"]

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="data/fer2013.csv")
parser.add_argument("--epochs", type=int, default=50)
args = parser.parse_args()

df = pd.read_csv(args.data)
pixels = np.stack(df["pixels"].apply(lambda s: np.array(s.split(), dtype="float32")).values) / 255.0
X = pixels.reshape(-1, 48, 48, 1)
y = to_categorical(df["emotion"], num_classes=len(EMOTIONS))
train = (df["Usage"] == "Training").values

model = models.Sequential([
    layers.Conv2D(32, (3, 3), activation="relu", input_shape=(48, 48, 1)),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Dropout(0.25),
    layers.Conv2D(128, (3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(1024, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(len(EMOTIONS), activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X[train], y[train], epochs=args.epochs, validation_data=(X[~train], y[~train]))
model.save("model/emotion_model.h5")
