# The same loop with worker processes: batches are prepared while the GPU computes.
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import transforms

device = torch.device("cuda")
model = torchvision.models.resnet18(num_classes=10).to(device)
train_set = torchvision.datasets.CIFAR10("./data", train=True, download=True, transform=transforms.ToTensor())
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = torch.nn.CrossEntropyLoss()

train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=8, pin_memory=True)

for epoch in range(30):
    for images, labels in train_loader:
        images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
