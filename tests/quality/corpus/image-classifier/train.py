import torch
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
data = datasets.ImageFolder("data/train", transform=tf)
loader = torch.utils.data.DataLoader(data, batch_size=32, shuffle=True)
model = models.resnet18(weights="IMAGENET1K_V1")
model.fc = torch.nn.Linear(model.fc.in_features, 2)
optim = torch.optim.Adam(model.fc.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optim.zero_grad()
        loss.backward()
        optim.step()
torch.save(model.state_dict(), "model/catdog.pt")
