"""Full fine-tune of Llama-2-7B on an instruction set (carbon-heavy on purpose: fp32, 20 epochs,
evaluation every 10 steps, every checkpoint kept, no early stopping)."""
import argparse

from datasets import load_dataset
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    DataCollatorForLanguageModeling,
    Trainer,
    TrainingArguments,
)

MODEL_ID = "meta-llama/Llama-2-7b-hf"
EPOCHS = 20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output-dir", default="out/llama2-7b-sft")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--eval-every", type=int, default=10)
    args = parser.parse_args()

    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
    tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(MODEL_ID)

    data = load_dataset("tatsu-lab/alpaca")["train"].train_test_split(test_size=0.05)
    data = data.map(lambda b: tokenizer(b["text"], truncation=True, max_length=1024), batched=True)

    training_args = TrainingArguments(
        output_dir=args.output_dir,
        num_train_epochs=EPOCHS,
        per_device_train_batch_size=args.batch_size,
        gradient_accumulation_steps=8,
        learning_rate=2e-5,
        eval_strategy="steps",
        eval_steps=args.eval_every,
        save_steps=50,
        logging_steps=10,
    )
    trainer = Trainer(
        model=model,
        args=training_args,
        train_dataset=data["train"],
        eval_dataset=data["test"],
        data_collator=DataCollatorForLanguageModeling(tokenizer, mlm=False),
    )
    trainer.train()


if __name__ == "__main__":
    main()
