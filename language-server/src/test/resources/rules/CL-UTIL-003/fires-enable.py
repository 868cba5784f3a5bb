# expect: CL-UTIL-003 at 12:1
# GPT-2 small fine-tuned in a plain loop with activation recomputation turned on.
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForCausalLM, AutoTokenizer
from datasets import load_dataset

device = "cuda"
tokenizer = AutoTokenizer.from_pretrained("gpt2")
tokenizer.pad_token = tokenizer.eos_token
model = AutoModelForCausalLM.from_pretrained("gpt2").to(device)
model.gradient_checkpointing_enable()
model.config.use_cache = False

texts = load_dataset("wikitext", "wikitext-2-raw-v1", split="train")["text"]
batches = DataLoader([t for t in texts if t.strip()], batch_size=16, shuffle=True, num_workers=4)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)

for epoch in range(3):
    for lines in batches:
        enc = tokenizer(lines, return_tensors="pt", padding=True, truncation=True, max_length=512).to(device)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = model(**enc, labels=enc["input_ids"]).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
