import numpy as np
import onnxruntime as ort
import streamlit as st

session = ort.InferenceSession("model/admit_model.onnx")
st.title("Admission pre-screening")
gre = st.number_input("GRE", 260, 340, 310)
toefl = st.number_input("TOEFL", 0, 120, 105)
rating = st.slider("University rating", 1, 5, 3)
sop = st.slider("SOP", 1.0, 5.0, 3.0, 0.5)
lor = st.slider("LOR", 1.0, 5.0, 3.0, 0.5)
cgpa = st.number_input("CGPA", 0.0, 10.0, 8.0)
research = st.checkbox("Research experience")
x = np.array([[gre, toefl, rating, sop, lor, cgpa, int(research)]], dtype=np.float32)
chance = float(session.run(None, {session.get_inputs()[0].name: x})[0][0])
st.metric("Chance of admission", f"{chance:.0%}")
st.write("Forward to committee" if chance >= 0.5 else "Do not forward")
