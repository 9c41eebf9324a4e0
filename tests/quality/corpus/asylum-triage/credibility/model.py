import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

BASE = "xlm-roberta-base"


class ConsistencyScorer:
    def __init__(self, weights="models/consistency-xlmr.pt"):
        self.tokenizer = AutoTokenizer.from_pretrained(BASE)
        self.model = AutoModelForSequenceClassification.from_pretrained(BASE, num_labels=2)
        self.model.load_state_dict(torch.load(weights, map_location="cpu"))
        self.model.eval()

    @torch.no_grad()
    def score(self, statement: str, reference: str) -> float:
        batch = self.tokenizer(statement, reference, truncation=True, max_length=512, return_tensors="pt")
        return float(torch.softmax(self.model(**batch).logits, dim=-1)[0, 1])

    def transcript_score(self, statements, references):
        scores = [max(self.score(s, r) for r in references) for s in statements]
        return sum(scores) / len(scores), sorted(zip(scores, statements))[:3]
