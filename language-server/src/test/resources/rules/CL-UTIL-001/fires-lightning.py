# expect: CL-UTIL-001 at 30:59
# savings: null (how long the GPU waits depends on the data pipeline)
# A LightningModule whose training DataLoader asks for no worker processes.
import lightning as L
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class MnistClassifier(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 256), nn.ReLU(), nn.Linear(256, 10))
        self.lr = lr

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


def train_dataloader():
    mnist = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
    # num_workers=0 was copied from a Windows notebook
    return DataLoader(mnist, batch_size=64, shuffle=True, num_workers=0)


trainer = L.Trainer(accelerator="gpu", devices=1, max_epochs=10, precision="bf16-mixed")
trainer.fit(MnistClassifier(), train_dataloaders=train_dataloader())
