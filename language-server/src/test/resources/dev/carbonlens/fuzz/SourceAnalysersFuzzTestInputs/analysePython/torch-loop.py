"""ImageNet ResNet-50 in a plain PyTorch loop: 300 epochs in fp32, no early stopping."""
import argparse

import torch
import torchvision
from torch.utils.data import DataLoader

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=300)
parser.add_argument("--lr", type=float, default=0.1)
args = parser.parse_args()

device = torch.device("cuda")
model = torchvision.models.resnet50().to(device)
train_set = torchvision.datasets.ImageFolder("/data/imagenet/train", transform=torchvision.transforms.ToTensor())
loader = DataLoader(train_set, batch_size=256, shuffle=True, num_workers=16)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
criterion = torch.nn.CrossEntropyLoss()

for epoch in range(args.epochs):
    model.train()
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), f"ckpt/epoch{epoch}.pt")
