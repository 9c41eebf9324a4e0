import pickle
import sys

model = pickle.load(open("model/sentiment_clf.pkl", "rb"))
for text in sys.argv[1:]:
    print(model.predict([text])[0], round(float(max(model.predict_proba([text])[0])), 3), text)
