# expect: CL-UTIL-004 at 20:6
# savings: null (the overhead depends on what the profiler records)
# A training loop wrapped whole in torch.profiler.profile: every kernel of every step is recorded.
import torch
import torchvision
from torch.profiler import ProfilerActivity, profile
from torch.utils.data import DataLoader

device = torch.device("cuda")
model = torchvision.models.resnet50().to(device)
loader = DataLoader(
    torchvision.datasets.ImageFolder("/data/imagenet/train", transform=torchvision.transforms.ToTensor()),
    batch_size=128,
    shuffle=True,
    num_workers=8,
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = torch.nn.CrossEntropyLoss()

with profile(
    activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA],
    record_shapes=True,
    profile_memory=True,
) as prof:
    for epoch in range(10):
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
print(prof.key_averages().table(sort_by="cuda_time_total", row_limit=20))
