#!/usr/bin/env python3
"""`check` throughput: N config files generated from the samples, checked by the real launcher.

Usage: bench/check_throughput.py [--files N]... [--runs K] [--json OUT] [-- EXTRA CHECK OPTIONS]
       defaults: --files 1000, --runs 5

For each N it writes N files into a temporary folder: the bundled samples (YAML, JSON, Python, Java;
team policies and the project config left out) copied round-robin, each copy with its own header comment
and, where the sample states one, its own epoch count, so no two files are equal. Then it runs
`/usr/bin/time -v ./carbonlens check --format json --fail-on never DIR` K times (after one uncounted run
that builds the jar and its class-data archive if needed) and prints wall time, CPU time (user + system)
and peak RSS of each run, and their medians. JVM start-up is included: this is what CI pays.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SUFFIXES = {".yaml", ".yml", ".json", ".jsonc", ".py", ".java"}
LEFT_OUT = {"policies", "project-config"}
COMMENT = {".py": "#", ".yaml": "#", ".yml": "#", ".java": "//", ".jsonc": "//"}


def samples():
    found = []
    for path in sorted((ROOT / "samples").rglob("*")):
        rel = path.relative_to(ROOT / "samples")
        if path.is_file() and path.suffix in SUFFIXES and rel.parts[0] not in LEFT_OUT:
            found.append(path)
    return found


def vary(text, suffix, n):
    """A different file per copy: a header naming the copy, and another epoch count where there is one."""
    text = re.sub(r"(epochs[\"']?\s*[:=]\s*)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + n % 7), text, count=1)
    if suffix in COMMENT:
        return f"{COMMENT[suffix]} generated copy {n}\n" + text
    return text  # JSON has no comments: the epoch change is the variation


def generate(folder, count):
    sources = samples()
    for n in range(count):
        src = sources[n % len(sources)]
        dest = folder / f"{n // 100:03d}" / f"{n:05d}-{src.parent.name}-{src.name}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(vary(src.read_text(encoding="utf-8"), src.suffix, n), encoding="utf-8")


def timed_check(folder, extra):
    command = ["/usr/bin/time", "-v", str(ROOT / "carbonlens"), "check", "--format", "json", "--fail-on", "never",
               *extra, str(folder)]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"check failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout)
    stats = {}
    for line in proc.stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            clock = line.rsplit(" ", 1)[1].split(":")
            stats["wall_s"] = sum(float(part) * 60 ** i for i, part in enumerate(reversed(clock)))
        elif line.startswith("User time (seconds)"):
            stats["user_s"] = float(line.rsplit(" ", 1)[1])
        elif line.startswith("System time (seconds)"):
            stats["sys_s"] = float(line.rsplit(" ", 1)[1])
        elif line.startswith("Maximum resident set size"):
            stats["rss_mb"] = int(line.rsplit(" ", 1)[1]) / 1024
    stats["cpu_s"] = stats["user_s"] + stats["sys_s"]
    stats["findings"] = len(report["findings"])
    stats["runs"] = len(report["runs"])
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, action="append", help="files to generate (repeatable; default 1000)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("extra", nargs="*", help="options passed to check (after --)")
    args = parser.parse_args()
    sizes = args.files or [1000]
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.2f}")
    results = {}
    for size in sizes:
        folder = pathlib.Path(tempfile.mkdtemp(prefix=f"carbonlens-{size}-"))
        try:
            generate(folder, size)
            timed_check(folder, args.extra)  # uncounted: builds the jar and the class-data archive if needed
            runs = []
            for i in range(args.runs):
                s = timed_check(folder, args.extra)
                runs.append(s)
                print(f"  {size} files, run {i + 1}: wall {s['wall_s']:.2f} s, cpu {s['cpu_s']:.2f} s, "
                      f"peak RSS {s['rss_mb']:.0f} MB ({s['findings']} findings, {s['runs']} runs)")
            median = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "cpu_s", "rss_mb")}
            results[size] = {"median": median, "runs": runs}
            print(f"{size} files: median wall {median['wall_s']:.2f} s, cpu {median['cpu_s']:.2f} s, "
                  f"peak RSS {median['rss_mb']:.0f} MB  (load {os.getloadavg()[0]:.2f})")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
