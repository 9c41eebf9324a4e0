import datetime
import sys

import cv2

from eye_tracker import track_eyes
from head_pose_estimation import head_pose
from person_and_phone import count_people_and_phones


def log(session, student_id, event):
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    with open(f"logs/session_{session}_student_{student_id}.log", "a") as f:
        f.write(f"{stamp} student={student_id} event={event}\n")


def main(session, student_id):
    cap = cv2.VideoCapture(0)
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        for event in count_people_and_phones(frame):
            log(session, student_id, event)
        for direction in track_eyes(frame, None, None):
            if direction:
                log(session, student_id, f"looking away ({direction})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
