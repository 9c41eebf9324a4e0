import os
import pickle

import pandas as pd

from facelens.modules import representation, verification


def find(img_path, db_path, model_name="VGG-Face", distance_metric="cosine", threshold=None):
    """Search db_path (one sub-folder per identity) for the faces in img_path."""
    datastore = os.path.join(db_path, f"ds_model_{model_name}.pkl".lower())
    if os.path.exists(datastore):
        with open(datastore, "rb") as f:
            representations = pickle.load(f)
    else:
        representations = []
        for root, _, files in os.walk(db_path):
            for name in files:
                if name.lower().endswith((".jpg", ".jpeg", ".png")):
                    identity = os.path.join(root, name)
                    representations.append({"identity": identity,
                                            "embedding": representation.represent(identity, model_name)})
        with open(datastore, "wb") as f:
            pickle.dump(representations, f)
    target = representation.represent(img_path, model_name)
    df = pd.DataFrame(representations)
    df["distance"] = df["embedding"].apply(lambda e: verification.find_distance(e, target, distance_metric))
    limit = threshold or verification.find_threshold(model_name, distance_metric)
    return df[df["distance"] <= limit].sort_values("distance")
