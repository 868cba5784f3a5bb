# BERT-base fine-tune without gradient checkpointing.
from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments

model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
args = TrainingArguments(
    output_dir="out/bert",
    num_train_epochs=3,
    per_device_train_batch_size=32,
    gradient_checkpointing=False,
    fp16=True,
)
trainer = Trainer(model=model, args=args)
trainer.train()
