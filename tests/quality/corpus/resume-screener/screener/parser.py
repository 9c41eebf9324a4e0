import io
import re

import spacy
from pdfminer.high_level import extract_text

nlp = spacy.load("en_core_web_sm")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")


def parse_resume(filename, data):
    text = extract_text(io.BytesIO(data)) if filename.endswith(".pdf") else data.decode("utf-8", "replace")
    doc = nlp(text)
    names = [ent.text for ent in doc.ents if ent.label_ == "PERSON"]
    email = EMAIL.search(text)
    phone = PHONE.search(text)
    return {
        "name": names[0] if names else filename,
        "email": email.group(0) if email else "",
        "phone": phone.group(0) if phone else "",
        "text": text,
    }
