# expect: CL-UTIL-004 at 25:5
# savings: null (the overhead depends on what the profiler records)
# A Lightning Trainer with the advanced (cProfile) profiler left in.
import lightning as L
import torch
from torch import nn


class Regressor(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        return nn.functional.mse_loss(self.net(x).squeeze(-1), y)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=3e-4)


trainer = L.Trainer(
    accelerator="gpu",
    max_epochs=50,
    profiler="advanced",
    precision="bf16-mixed",
)
trainer.fit(Regressor())
