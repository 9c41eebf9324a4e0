import cv2
import numpy as np

import face_match

# Load a sample picture of each known person and learn how to recognise them.
known_face_names = ["Alex Doe", "Sam Roe"]
known_face_encodings = [
    face_match.face_encodings(face_match.load_image_file("known_people/alex_doe.jpg"))[0],
    face_match.face_encodings(face_match.load_image_file("known_people/sam_roe.jpg"))[0],
]

video_capture = cv2.VideoCapture(0)

while True:
    ret, frame = video_capture.read()
    rgb = np.ascontiguousarray(frame[:, :, ::-1])
    locations = face_match.face_locations(rgb)
    for (top, right, bottom, left), encoding in zip(locations, face_match.face_encodings(rgb, locations)):
        distances = face_match.face_distance(known_face_encodings, encoding)
        best = int(np.argmin(distances))
        name = known_face_names[best] if distances[best] < 0.6 else "Unknown"
        cv2.rectangle(frame, (left, top), (right, bottom), (0, 0, 255), 2)
        cv2.putText(frame, name, (left + 6, bottom - 6), cv2.FONT_HERSHEY_DUPLEX, 1.0, (255, 255, 255), 1)
    cv2.imshow("Video", frame)
    if cv2.waitKey(1) & 0xFF == ord("q"):
        break

video_capture.release()
cv2.destroyAllWindows()
