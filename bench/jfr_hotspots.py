#!/usr/bin/env python3
"""Hot spots of a JDK Flight Recorder file: where the CPU samples fall, by method, with percentages.

Usage: bench/jfr_hotspots.py RECORDING.jfr [--thread NAME] [--top N] [--since SECONDS] [--until SECONDS]

Reads the `jdk.ExecutionSample` events (full stacks, via `jfr print --json`) and prints
  self       the method at the top of the stack (where the CPU was);
  inclusive  every method on the stack, counted once per sample (the work it and its callees did);
  package    self samples grouped by package (dev.carbonlens.*, org.drools.*, org.yaml.snakeyaml.*, ...).
--thread keeps one thread's samples (the server analyses on `carbonlens-analysis`); --since/--until keep
a window in seconds from the first sample (e.g. leave out start-up). Record with full stacks, e.g.
  JAVA_TOOL_OPTIONS='-XX:StartFlightRecording=settings=profile,filename=/tmp/x.jfr
  -XX:FlightRecorderOptions=stackdepth=512' bench/latency_probe.py ...
"""
import argparse
import collections
import datetime
import json
import subprocess
import sys


def samples(path):
    """(start time, thread name, [frames top first]) for each execution sample."""
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "1024", "--events", "jdk.ExecutionSample", str(path)],
                         check=True, capture_output=True, text=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        frames = []
        for frame in (values.get("stackTrace") or {}).get("frames", []):
            method = frame["method"]
            frames.append(f"{method['type']['name'].replace('/', '.')}.{method['name']}")
        yield values["startTime"], thread, frames


def seconds(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def package(method):
    parts = method.split(".")
    # Keep three levels (dev.carbonlens.document, org.drools.core, org.yaml.snakeyaml).
    return ".".join(parts[:3]) if len(parts) > 3 else ".".join(parts[:-2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording")
    parser.add_argument("--thread", help="only this thread's samples (e.g. carbonlens-analysis)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--since", type=float, default=0.0, help="seconds after the first sample")
    parser.add_argument("--until", type=float, default=float("inf"), help="seconds after the first sample")
    args = parser.parse_args()

    events = list(samples(args.recording))
    if not events:
        sys.exit("no jdk.ExecutionSample events in the recording")
    origin = min(seconds(at) for at, _, _ in events)
    self_counts = collections.Counter()
    inclusive = collections.Counter()
    packages = collections.Counter()
    threads = collections.Counter()
    kept = 0
    for at, thread, frames in events:
        offset = seconds(at) - origin
        if not frames or not args.since <= offset <= args.until:
            continue
        threads[thread] += 1
        if args.thread and thread != args.thread:
            continue
        kept += 1
        self_counts[frames[0]] += 1
        packages[package(frames[0])] += 1
        for method in set(frames):
            inclusive[method] += 1
    if not kept:
        sys.exit(f"no samples kept; threads seen: {dict(threads)}")

    print(f"{kept} samples kept ({sum(threads.values())} in the window; by thread: "
          + ", ".join(f"{t} {n}" for t, n in threads.most_common(6)) + ")")
    for title, counter in (("self", self_counts), ("inclusive", inclusive), ("self by package", packages)):
        print(f"\n{title}:")
        for method, n in counter.most_common(args.top):
            print(f"  {100 * n / kept:5.1f}%  {n:6d}  {method}")


if __name__ == "__main__":
    main()
