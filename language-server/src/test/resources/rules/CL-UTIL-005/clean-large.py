# Llama-2-13B full fine-tune with offload: its training states (about 210 GB) do not fit on the GPUs.
from accelerate import Accelerator, DeepSpeedPlugin
from transformers import AutoModelForCausalLM

plugin = DeepSpeedPlugin(zero_stage=3, offload_optimizer_device="cpu", offload_param_device="cpu")
accelerator = Accelerator(mixed_precision="bf16", deepspeed_plugin=plugin)
model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-13b-hf")
optimizer = __import__("torch").optim.AdamW(model.parameters(), lr=1e-5)
model, optimizer = accelerator.prepare(model, optimizer)
for batch in []:
    loss = model(**batch).loss
    accelerator.backward(loss)
    optimizer.step()
