#!/usr/bin/env python3
"""Latency probe: launch `carbonlens lsp` as an editor would and time launch -> first diagnostics.

Usage: bench/first_diagnostics.py [RUNS] [FILE]   (defaults: 5 runs, samples/skypilot/resnet-k80.yaml)
Prints each run and the median. Needs the jar built (./carbonlens builds it on first use).
"""
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise EOFError("server closed stdout")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def one_run(path):
    text = path.read_text()
    uri = path.resolve().as_uri()
    start = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / "carbonlens"), "lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": os.getpid(), "rootUri": None, "capabilities": {}}})
    while receive(proc).get("id") != 1:
        pass
    initialized = time.perf_counter()
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
    while True:
        msg = receive(proc)
        if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
            break
    first = time.perf_counter()
    count = len(msg["params"]["diagnostics"])
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    while receive(proc).get("id") != 2:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=30)
    return initialized - start, first - start, count


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    path = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "samples/skypilot/resnet-k80.yaml"
    one_run(path)  # warm the OS file cache; not counted
    firsts = []
    for i in range(runs):
        init, first, count = one_run(path)
        firsts.append(first)
        print(f"run {i + 1}: initialize answered {init * 1000:.0f} ms, first diagnostics {first * 1000:.0f} ms ({count} diagnostics)")
    print(f"median launch -> first diagnostics: {statistics.median(firsts) * 1000:.0f} ms over {runs} runs")


if __name__ == "__main__":
    main()
