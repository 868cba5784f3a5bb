# expect: CL-UTIL-005 at 17:13
# savings: null (the cost of the CPU round trips depends on PCIe bandwidth and CPU speed)
# distilgpt2 with an inline ZeRO-3 config that offloads the optimizer to the CPU.
from transformers import AutoModelForCausalLM, Trainer, TrainingArguments

model = AutoModelForCausalLM.from_pretrained("distilgpt2")

ds_config = {
    "bf16": {"enabled": "auto"},
    "zero_optimization": {
        "stage": 3,
        "offload_param": {"device": "none"},
        "overlap_comm": True,
        "contiguous_gradients": True,
        "stage3_gather_16bit_weights_on_model_save": True,
        "offload_optimizer": {
            "device": "cpu",
            "pin_memory": True,
        },
    },
    "train_micro_batch_size_per_gpu": "auto",
    "gradient_accumulation_steps": "auto",
}

args = TrainingArguments(
    output_dir="out/distilgpt2",
    num_train_epochs=3,
    per_device_train_batch_size=16,
    bf16=True,
    deepspeed=ds_config,
)
trainer = Trainer(model=model, args=args)
trainer.train()
