import csv
import pickle
import sys

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

LEXICON = {}
with open("sentiment/lexicon/emotion_lexicon.csv") as f:
    for word, emotion in csv.reader(f):
        LEXICON.setdefault(word, set()).add(emotion)

df = pd.read_csv(sys.argv[1])
model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=1), LogisticRegression(max_iter=1000))
model.fit(df["text"], df["label"])
pickle.dump(model, open("model/sentiment_clf.pkl", "wb"))
