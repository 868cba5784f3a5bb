# expect: CL-HPO-002 at 35:27
"""Optuna search over a ResNet-18 fine-tune on CIFAR-10: 40 trials, none pruned."""
import optuna
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

device = "cuda"
tf = transforms.Compose([transforms.ToTensor()])
train = torch.utils.data.DataLoader(datasets.CIFAR10("data", train=True, download=True, transform=tf), batch_size=128)
val = torch.utils.data.DataLoader(datasets.CIFAR10("data", train=False, transform=tf), batch_size=256)


def objective(trial):
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    momentum = trial.suggest_float("momentum", 0.8, 0.99)
    model = models.resnet18(num_classes=10).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    for epoch in range(20):
        model.train()
        for x, y in train:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
            loss.backward()
            opt.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val:
            correct += (model(x.to(device)).argmax(1).cpu() == y).sum().item()
    return correct / len(val.dataset)


study = optuna.create_study(direction="maximize")
study.optimize(objective, n_trials=40)
print(study.best_params)
