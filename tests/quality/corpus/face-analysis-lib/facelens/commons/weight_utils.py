import os

import gdown

HOME = os.path.join(os.path.expanduser("~"), ".facelens")


def download_weights_if_necessary(file_name: str, source_url: str) -> str:
    target = os.path.join(HOME, "weights", file_name)
    if not os.path.isfile(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        gdown.download(source_url, target, quiet=False)
    return target


def load_model_weights(model, weight_file):
    model.load_weights(weight_file)
    return model
