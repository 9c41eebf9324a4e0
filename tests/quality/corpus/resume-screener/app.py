import pandas as pd
import streamlit as st

from screener.parser import parse_resume
from screener.ranker import rank_candidates

st.title("Smart Resume Screener")
jd = st.text_area("Job description")
uploads = st.file_uploader("Résumés", accept_multiple_files=True, type=["pdf", "txt"])
top_n = st.slider("Shortlist size", 1, 20, 5)

if st.button("Rank") and jd and uploads:
    candidates = [parse_resume(u.name, u.read()) for u in uploads]
    ranked = rank_candidates(jd, candidates)
    st.dataframe(pd.DataFrame(ranked)[["name", "email", "score", "matched_skills"]])
    st.success(f"Shortlisted: {', '.join(c['name'] for c in ranked[:top_n])}")
