import os
import pickle

import cv2
import face_recognition
from imutils import paths

image_paths = list(paths.list_images("dataset"))
known_encodings, known_names = [], []

for (i, image_path) in enumerate(image_paths):
    print(f"[INFO] processing image {i + 1}/{len(image_paths)}")
    name = image_path.split(os.path.sep)[-2]
    rgb = cv2.cvtColor(cv2.imread(image_path), cv2.COLOR_BGR2RGB)
    boxes = face_recognition.face_locations(rgb, model="hog")
    for encoding in face_recognition.face_encodings(rgb, boxes):
        known_encodings.append(encoding)
        known_names.append(name)

with open("encodings.pickle", "wb") as f:
    f.write(pickle.dumps({"encodings": known_encodings, "names": known_names}))
