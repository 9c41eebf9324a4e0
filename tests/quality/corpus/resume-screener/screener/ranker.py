import csv
import os

import joblib
from sklearn.metrics.pairwise import cosine_similarity

HERE = os.path.dirname(__file__)
SKILLS = {row[0].lower() for row in csv.reader(open(os.path.join(HERE, "skills.csv")))}
vectorizer = joblib.load(os.path.join(HERE, "..", "models", "ranker.joblib"))


def skills_of(text):
    words = {w.strip(".,;:()").lower() for w in text.split()}
    return sorted(words & SKILLS)


def rank_candidates(job_description, candidates):
    """Score each candidate against the job description and sort best first."""
    jd_vec = vectorizer.transform([job_description])
    jd_skills = set(skills_of(job_description))
    ranked = []
    for c in candidates:
        similarity = cosine_similarity(jd_vec, vectorizer.transform([c["text"]]))[0][0]
        matched = jd_skills & set(skills_of(c["text"]))
        skill_score = len(matched) / max(len(jd_skills), 1)
        ranked.append({**c, "score": round(0.6 * similarity + 0.4 * skill_score, 3), "matched_skills": sorted(matched)})
    return sorted(ranked, key=lambda c: c["score"], reverse=True)
