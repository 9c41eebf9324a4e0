import torch
from torchvision import models

model = models.resnet18()
model.fc = torch.nn.Linear(model.fc.in_features, 2)
model.load_state_dict(torch.load("model/catdog.pt"))
model.eval()
torch.onnx.export(model, torch.randn(1, 3, 224, 224), "model/catdog.onnx", input_names=["image"], output_names=["logits"])
