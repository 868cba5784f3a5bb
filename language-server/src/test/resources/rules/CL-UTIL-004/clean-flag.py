# The profiler only runs when asked for on the command line.
import argparse
import contextlib

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--profile", action="store_true")
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()

model = torch.nn.Linear(1024, 1024).cuda()
optimizer = torch.optim.AdamW(model.parameters())
ctx = torch.profiler.profile() if args.profile else contextlib.nullcontext()
with ctx:
    for epoch in range(args.epochs):
        loss = model(torch.randn(256, 1024, device="cuda")).pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
