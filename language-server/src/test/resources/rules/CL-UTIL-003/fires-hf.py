# expect: CL-UTIL-003 at 22:5
# BERT-base fine-tuned on MRPC with gradient checkpointing switched on from an LLM recipe.
from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    Trainer,
    TrainingArguments,
)

MODEL_ID = "bert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
model = AutoModelForSequenceClassification.from_pretrained(MODEL_ID, num_labels=2)
raw = load_dataset("glue", "mrpc")
data = raw.map(lambda b: tokenizer(b["sentence1"], b["sentence2"], truncation=True), batched=True)

args = TrainingArguments(
    output_dir="out/bert-mrpc",
    num_train_epochs=3,
    per_device_train_batch_size=32,
    gradient_checkpointing=True,
    fp16=True,
    eval_strategy="epoch",
    save_strategy="epoch",
    save_total_limit=1,
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=data["train"],
    eval_dataset=data["validation"],
    data_collator=DataCollatorWithPadding(tokenizer),
)
trainer.train()
