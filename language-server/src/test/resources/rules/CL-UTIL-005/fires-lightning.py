# expect: CL-UTIL-005 at 32:9
# savings: null (the cost of the CPU round trips depends on PCIe bandwidth and CPU speed)
# GPT-2 medium on two GPUs with ZeRO stage 2 and CPU offload, copied from a recipe for much larger models.
import lightning as L
import torch
from transformers import AutoModelForCausalLM


class CausalLM(L.LightningModule):
    def __init__(self, lr=3e-5):
        super().__init__()
        self.model = AutoModelForCausalLM.from_pretrained("gpt2-medium")
        self.lr = lr

    def training_step(self, batch, batch_idx):
        out = self.model(**batch, labels=batch["input_ids"])
        self.log("train_loss", out.loss)
        return out.loss

    def configure_optimizers(self):
        from deepspeed.ops.adam import DeepSpeedCPUAdam

        return DeepSpeedCPUAdam(self.parameters(), lr=self.lr)


def main(datamodule):
    trainer = L.Trainer(
        accelerator="gpu",
        devices=2,
        precision="bf16-mixed",
        max_epochs=3,
        strategy="deepspeed_stage_2_offload",
    )
    trainer.fit(CausalLM(), datamodule=datamodule)
