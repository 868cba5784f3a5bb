# Llama-2-7B full fine-tune: its training states (about 110 GB) need the memory checkpointing frees.
from transformers import AutoModelForCausalLM, Trainer, TrainingArguments

model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")
args = TrainingArguments(
    output_dir="out/llama",
    num_train_epochs=1,
    per_device_train_batch_size=4,
    gradient_checkpointing=True,
    bf16=True,
)
trainer = Trainer(model=model, args=args, train_dataset=None)
trainer.train()
