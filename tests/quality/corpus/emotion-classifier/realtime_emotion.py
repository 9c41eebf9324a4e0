import cv2
import numpy as np
from tensorflow.keras.models import load_model

EMOTIONS = ["Angry", "Disgusted", "Fearful", "Happy", "Sad", "Surprised", "Neutral"]
model = load_model("model/emotion_model.h5")
face_cascade = cv2.CascadeClassifier("haarcascade_frontalface_default.xml")

cap = cv2.VideoCapture(0)
while True:
    ret, frame = cap.read()
    if not ret:
        break
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    for (x, y, w, h) in face_cascade.detectMultiScale(gray, scaleFactor=1.3, minNeighbors=5):
        roi = cv2.resize(gray[y:y + h, x:x + w], (48, 48)).astype("float32") / 255.0
        prediction = model.predict(roi.reshape(1, 48, 48, 1), verbose=0)
        label = EMOTIONS[int(np.argmax(prediction))]
        cv2.rectangle(frame, (x, y - 50), (x + w, y + h + 10), (255, 0, 0), 2)
        cv2.putText(frame, label, (x + 20, y - 60), cv2.FONT_HERSHEY_SIMPLEX, 1, (255, 255, 255), 2)
    cv2.imshow("Emotion", frame)
    if cv2.waitKey(1) & 0xFF == ord("q"):
        break
cap.release()
