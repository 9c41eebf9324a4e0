import cv2
import numpy as np
import tensorflow as tf

from yolo import YoloV3, load_darknet_weights

CLASS_NAMES = [c.strip() for c in open("models/classes.txt")]
yolo = YoloV3()
load_darknet_weights(yolo, "models/yolov3.weights")


def count_people_and_phones(frame):
    img = tf.image.resize(tf.expand_dims(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), 0), (320, 320)) / 255
    boxes, scores, classes, nums = yolo(img)
    people = sum(1 for i in range(nums[0]) if int(classes[0][i]) == 0)
    phones = sum(1 for i in range(nums[0]) if int(classes[0][i]) == 67)
    events = []
    if people == 0:
        events.append("no person detected")
    elif people > 1:
        events.append("more than one person detected")
    if phones:
        events.append("mobile phone detected")
    return events
