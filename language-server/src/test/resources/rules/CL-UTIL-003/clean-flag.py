# Checkpointing only behind a command-line switch that is off unless asked for.
import argparse

import torch
from transformers import AutoModelForCausalLM

parser = argparse.ArgumentParser()
parser.add_argument("--gradient-checkpointing", action="store_true")
parser.add_argument("--epochs", type=int, default=3)
args = parser.parse_args()

model = AutoModelForCausalLM.from_pretrained("gpt2").cuda()
if args.gradient_checkpointing:
    model.gradient_checkpointing_enable()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
for epoch in range(args.epochs):
    loss = model(torch.randint(0, 50000, (8, 512), device="cuda"), labels=None).logits.mean()
    loss.backward()
    optimizer.step()
