#!/usr/bin/env python3
"""Generate the YAML of issue 7's speed targets: an Axolotl LoRA ablation grid of 1,800 lines with 300 `<<` merge keys.

Usage: bench/generate_merge_keys_yaml.py [OUT] [--lines N] [--merge-keys M]
       (defaults: prints to stdout, 1,800 lines, 300 merge keys)

The top level is a real Axolotl run (Llama 3.1 8B, full fine-tune in fp32, an evaluation every 10 steps:
CarbonLens's Axolotl extractor recognises it and the rules report findings). Below it, `ablations` lists
the variants a grid launcher expands, the way such files are written by hand: shared settings live in
anchored `x-` blocks and every variant pulls them in with one merge key (`<<: [*lora, *alpaca]`), then
overrides rank, learning rate and seed. The output is the same for the same arguments (no randomness).
"""
import argparse
import pathlib
import sys

# The grid: 5 instruction sets x 4 LoRA ranks x 3 learning rates x 5 seeds = 300 variants.
DATASETS = [
    ("alpaca", "tatsu-lab/alpaca", "alpaca"),
    ("dolly", "databricks/databricks-dolly-15k", "dolly"),
    ("oasst", "OpenAssistant/oasst1", "oasst"),
    ("ultrachat", "HuggingFaceH4/ultrachat_200k", "chat_template"),
    ("openhermes", "teknium/OpenHermes-2.5", "chat_template"),
]
RANKS = [8, 16, 32, 64]
LEARNING_RATES = ["5.0e-5", "1.0e-4", "2.0e-4"]
SEEDS = [0, 1, 2, 3, 4]

HEADER = """\
# Llama 3.1 8B instruction tuning with Axolotl. The top level is the baseline run (all weights, fp32);
# `ablations` holds the LoRA grid that scripts/launch_grid.py expands into one job per variant.
# Shared settings live in the `x-` blocks; each variant merges them in (`<<`) and overrides the rest.
base_model: meta-llama/Llama-3.1-8B
tokenizer_type: AutoTokenizer

datasets:
  - path: teknium/OpenHermes-2.5
    type: chat_template
dataset_prepared_path: last_run_prepared
val_set_size: 0.02
output_dir: ./outputs/llama-8b-full

sequence_len: 4096
sample_packing: true
pad_to_sequence_len: true

gradient_accumulation_steps: 8
micro_batch_size: 2
num_epochs: 3
optimizer: adamw_torch_fused
lr_scheduler: cosine
learning_rate: 2.0e-5

bf16: false
fp16: false
tf32: true

gradient_checkpointing: true
logging_steps: 1
flash_attention: true

warmup_ratio: 0.03
eval_steps: 10
save_steps: 200
save_total_limit: 2
weight_decay: 0.0
special_tokens:
  pad_token: <|finetune_right_pad_id|>

# ---- shared settings for the ablation grid ----
x-lora: &lora
  adapter: lora
  lora_r: 16
  lora_alpha: 32
  lora_dropout: 0.05
  lora_target_linear: true
  bf16: true
  tf32: false
  num_epochs: 1
  eval_steps: 200
  save_steps: 500
"""


def variant_names():
    for name, _, _ in DATASETS:
        for rank in RANKS:
            for lr in LEARNING_RATES:
                for seed in SEEDS:
                    yield name, rank, lr, seed


def dataset_block(name, path, kind):
    return [f"x-{name}: &{name}", "  datasets:", f"    - path: {path}", f"      type: {kind}",
            f"  wandb_project: llama8b-ablations-{name}"]


def generate(lines=1800, merge_keys=300):
    """The YAML text: exactly `lines` lines and `merge_keys` `<<` keys (one per variant)."""
    grid = list(variant_names())
    if not 1 <= merge_keys <= len(grid):
        raise ValueError(f"merge keys must be 1..{len(grid)} (one per variant of the grid)")
    grid = grid[:merge_keys]
    used = {name for name, _, _, _ in grid}
    head = HEADER.splitlines()
    for name, path, kind in DATASETS:
        if name in used:
            head += dataset_block(name, path, kind)
    head += ["", "ablations:"]
    body_fixed = 0
    groups = []
    for name, rank, lr, seed in grid:
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
            body_fixed += 1  # the group's comment line
        groups[-1][1].append((rank, lr, seed))
        body_fixed += 5  # key, merge, lora_r, learning_rate, seed
    # The rest of the budget goes to `output_dir` lines, spread evenly over the variants.
    extra = lines - len(head) - body_fixed
    if not 0 <= extra <= len(grid):
        raise ValueError(f"cannot make {lines} lines with {merge_keys} merge keys "
                         f"(between {len(head) + body_fixed} and {len(head) + body_fixed + len(grid)})")
    out = list(head)
    index = 0
    for name, variants in groups:
        out.append(f"  # {name}: {len(variants)} variants (rank x learning rate x seed)")
        for rank, lr, seed in variants:
            key = f"{name}-r{rank}-lr{lr.replace('.0', '')}-s{seed}"
            out += [f"  {key}:", f"    <<: [*lora, *{name}]", f"    lora_r: {rank}", f"    learning_rate: {lr}",
                    f"    seed: {seed}"]
            if (index + 1) * extra // len(grid) != index * extra // len(grid):
                out.append(f"    output_dir: ./outputs/ablations/{key}")
            index += 1
    return "\n".join(out) + "\n"


def count_merge_keys(text):
    return sum(1 for line in text.splitlines() if line.lstrip().startswith("<<:"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="file to write (default: stdout)")
    parser.add_argument("--lines", type=int, default=1800)
    parser.add_argument("--merge-keys", type=int, default=300)
    args = parser.parse_args()
    try:
        text = generate(args.lines, args.merge_keys)
    except ValueError as e:
        parser.error(str(e))
    summary = f"{len(text.splitlines())} lines, {count_merge_keys(text)} merge keys"
    if args.out:
        pathlib.Path(args.out).write_text(text)
        print(f"{args.out}: {summary}")
    else:
        sys.stdout.write(text)
        print(summary, file=sys.stderr)


if __name__ == "__main__":
    main()
