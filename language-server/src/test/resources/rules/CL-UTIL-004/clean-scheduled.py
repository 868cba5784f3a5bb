# The profiler records one bounded window (wait 1, warm up 1, record 3 steps, once), then nothing.
import torch
import torchvision
from torch.profiler import ProfilerActivity, profile, schedule, tensorboard_trace_handler

device = torch.device("cuda")
model = torchvision.models.resnet50().to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
data = [(torch.randn(64, 3, 224, 224), torch.randint(0, 1000, (64,))) for _ in range(20)]

with profile(
    activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA],
    schedule=schedule(wait=1, warmup=1, active=3, repeat=1),
    on_trace_ready=tensorboard_trace_handler("./log/resnet50"),
) as prof:
    for epoch in range(5):
        for images, labels in data:
            loss = torch.nn.functional.cross_entropy(model(images.to(device)), labels.to(device))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            prof.step()
