import glob
import os
import pickle

from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from features import extract_feature

EMOTIONS = {"01": "neutral", "02": "calm", "03": "happy", "04": "sad",
            "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised"}

x, y = [], []
for file in glob.glob("data/Actor_*/*.wav"):
    emotion = EMOTIONS[os.path.basename(file).split("-")[2]]
    x.append(extract_feature(file))
    y.append(emotion)

x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=9)
model = MLPClassifier(alpha=0.01, batch_size=256, epsilon=1e-08, hidden_layer_sizes=(300,), max_iter=500)
model.fit(x_train, y_train)
print("Accuracy: {:.2f}%".format(accuracy_score(y_test, model.predict(x_test)) * 100))
pickle.dump(model, open("model/ser_mlp.pkl", "wb"))
