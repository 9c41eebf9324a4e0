import json

import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("xlm-roberta-base")
model = AutoModelForSequenceClassification.from_pretrained("xlm-roberta-base", num_labels=2)
pairs = [json.loads(line) for line in open("data/labelled_pairs.jsonl")]
loader = DataLoader(pairs, batch_size=16, shuffle=True)
optim = torch.optim.AdamW(model.parameters(), lr=2e-5)
for epoch in range(3):
    for batch in loader:
        enc = tokenizer(batch["statement"], batch["reference"], truncation=True, padding=True, return_tensors="pt")
        loss = model(**enc, labels=batch["consistent"]).loss
        loss.backward()
        optim.step()
        optim.zero_grad()
torch.save(model.state_dict(), "models/consistency-xlmr.pt")
