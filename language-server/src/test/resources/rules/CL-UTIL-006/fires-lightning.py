# expect: CL-UTIL-006 at 26:9
# savings: null (the scaling overhead of data parallelism is not modelled)
# DistilBERT sentiment fine-tune launched on four 8-GPU nodes.
import lightning as L
import torch
from transformers import AutoModelForSequenceClassification


class SentimentClassifier(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)

    def training_step(self, batch, batch_idx):
        return self.model(**batch).loss

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=2e-5)


if __name__ == "__main__":
    trainer = L.Trainer(
        accelerator="gpu",
        strategy="ddp",
        precision="bf16-mixed",
        devices=8,
        num_nodes=4,
        max_epochs=3,
    )
    trainer.fit(SentimentClassifier())
