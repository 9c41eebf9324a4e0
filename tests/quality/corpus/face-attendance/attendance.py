import csv
import os
import pickle
from datetime import datetime

import cv2
import face_recognition
import numpy as np

data = pickle.loads(open("encodings.pickle", "rb").read())
os.makedirs("Attendance", exist_ok=True)


def mark_attendance(name):
    today = datetime.now().strftime("%Y-%m-%d")
    path = f"Attendance/Attendance_{today}.csv"
    seen = set()
    if os.path.exists(path):
        with open(path) as f:
            seen = {row[0] for row in csv.reader(f)}
    if name not in seen:
        with open(path, "a", newline="") as f:
            csv.writer(f).writerow([name, datetime.now().strftime("%H:%M:%S")])


cap = cv2.VideoCapture(0)
while True:
    ok, frame = cap.read()
    small = cv2.resize(frame, (0, 0), None, 0.25, 0.25)
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    locations = face_recognition.face_locations(rgb)
    for encoding, loc in zip(face_recognition.face_encodings(rgb, locations), locations):
        distances = face_recognition.face_distance(data["encodings"], encoding)
        best = int(np.argmin(distances))
        if distances[best] < 0.5:
            name = data["names"][best].upper()
            mark_attendance(name)
            y1, x2, y2, x1 = [v * 4 for v in loc]
            cv2.rectangle(frame, (x1, y1), (x2, y2), (0, 255, 0), 2)
            cv2.putText(frame, name, (x1 + 6, y2 - 6), cv2.FONT_HERSHEY_COMPLEX, 1, (255, 255, 255), 2)
    cv2.imshow("Webcam", frame)
    if cv2.waitKey(1) == 27:
        break
