#!/usr/bin/env python3
"""Edit -> diagnostics latency of the real `carbonlens lsp`, driven over stdio as an editor drives it.

Usage: bench/latency_probe.py [--runs K] [--file PATH] [--pull] [--json OUT] [--edits N] [--warm-up W]
                              [--burst B] [--soak S] [--soak-wait-every E] [--timeout SECONDS] [--launcher PATH]

Without --file it probes the file of issue 7's targets (bench/generate_merge_keys_yaml.py: 1,800 lines,
300 `<<` merge keys), written to a temporary directory. Each run starts a fresh server and measures:

  launch   process start -> first diagnostics for the opened file;
  latency  N paced edits (a character typed, then deleted, at varying lines; one version each), each
           waiting for the diagnostics of its own version; the first W are warm-up and not counted;
  burst    B edits typed ~10 ms apart; time from the last edit to the diagnostics of the final version,
           how many intermediate versions were published, and a loud failure if anything older is
           published after the final version (stale diagnostics);
  soak     S edits sent as fast as the pipe takes them, waiting for the diagnostics of every Eth (100);
           the Java process's RSS (VmRSS) at the start and every 1,000 edits.

Before the runs, one uncounted launch builds the jar if needed (the launcher does) and warms the caches.

--pull uses LSP 3.17 pull diagnostics (`textDocument/diagnostic` with `previousResultId`) instead of
waiting for `textDocument/publishDiagnostics`. Exit status: 0 done, 1 stale diagnostics seen, 2 the
server failed, hung or refused (a clear message says which).
"""
import argparse
import json
import os
import pathlib
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ left in bench/ by the imports below
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from first_diagnostics import ROOT, receive, send  # noqa: E402  (the same framing as the first probe)
import generate_merge_keys_yaml  # noqa: E402

# Issue 7's targets (2 cores): edit -> diagnostics p50 and max, launch -> first diagnostics.
TARGET_P50_MS = 30
TARGET_MAX_MS = 120
TARGET_LAUNCH_MS = 1500
# "RSS flat": growth from the 1,000-edit sample (JIT and heap warmed) to the end, at most this share.
FLAT_RSS_SHARE = 0.10
BURST_GAP_S = 0.010
SOAK_SAMPLE_EVERY = 1000
# After the final burst version is published, listen this long for stale (older) diagnostics.
STALE_WATCH_S = 1.0
LANGUAGES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonc": "jsonc", ".py": "python", ".java": "java"}
# LSP error codes a pull may be answered with; the client asks again (LSP 3.17, DiagnosticServerCancellationData).
SERVER_CANCELLED = -32802
CONTENT_MODIFIED = -32801
METHOD_NOT_FOUND = -32601


class ProbeError(Exception):
    """The server failed, hung or answered wrongly: exit 2 with this message."""


class StaleDiagnostics(Exception):
    """Diagnostics of an older version arrived after newer ones: exit 1."""


class Server:
    """`carbonlens lsp` as a child process; a reader thread timestamps every message as it arrives."""

    def __init__(self, launcher, timeout):
        self.timeout = timeout
        self.log = tempfile.TemporaryFile()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([str(launcher), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log)
        self.write_lock = threading.Lock()
        self.inbox = queue.Queue()
        self.next_id = 1
        self.phase = "launch"
        threading.Thread(target=self._read, name="lsp-reader", daemon=True).start()

    def _read(self):
        try:
            while True:
                message = receive(self.proc)
                now = time.perf_counter()
                if "method" in message and "id" in message:
                    self._answer_server_request(message)
                else:
                    self.inbox.put((now, message))
        except (EOFError, ValueError, OSError) as e:
            self.inbox.put((time.perf_counter(), {"_closed": str(e)}))

    def _answer_server_request(self, message):
        # An editor answers what the server asks; nothing here needs more than an empty answer.
        method = message["method"]
        if method == "workspace/configuration":
            result = [None for _ in message.get("params", {}).get("items", [])]
        else:
            result = None
        self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def send(self, message):
        with self.write_lock:
            try:
                send(self.proc, message)
            except (BrokenPipeError, OSError) as e:
                raise ProbeError(f"server closed its input ({e}){self.stderr_tail()}")
        return time.perf_counter()

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        """Sends a request; returns (id, time sent). The answer arrives in the inbox like any message."""
        rid = self.next_id
        self.next_id += 1
        sent = self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid, sent

    def next_message(self, deadline, waiting_for):
        left = deadline - time.perf_counter()
        if left <= 0:
            raise ProbeError(f"timed out after {self.timeout:.0f} s waiting for {waiting_for}{self.stderr_tail()}")
        try:
            at, message = self.inbox.get(timeout=left)
        except queue.Empty:
            raise ProbeError(f"timed out after {self.timeout:.0f} s waiting for {waiting_for}{self.stderr_tail()}")
        if "_closed" in message:
            raise ProbeError(f"server exited while the probe waited for {waiting_for} "
                             f"(exit status {self.proc.poll()}){self.stderr_tail()}")
        return at, message

    def stderr_tail(self, limit=2000):
        try:
            self.log.seek(0)
            text = self.log.read().decode(errors="replace").strip()
        except (OSError, ValueError):
            return ""
        return f"\n--- server stderr (last {limit} chars) ---\n{text[-limit:]}" if text else ""

    def java_pid(self):
        """The JVM's pid: the launcher execs java, so normally its own pid; else the java among its children
        (a server that is not Java at all is measured as the process started)."""
        todo = [self.proc.pid]
        while todo:
            pid = todo.pop(0)
            try:
                if pathlib.Path(f"/proc/{pid}/comm").read_text().strip() == "java":
                    return pid
                for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        return self.proc.pid

    def rss_mb(self, field="VmRSS"):
        status = pathlib.Path(f"/proc/{self.java_pid()}/status").read_text()
        kb = int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))
        return kb / 1024

    def cpu_ms(self):
        """User + system CPU time the JVM has used so far (it has 2 cores to spread it over, or fewer)."""
        fields = pathlib.Path(f"/proc/{self.java_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def cpu_ms_by_thread(self):
        """CPU time per JVM thread name (JIT compilers, GC, rule loading, analysis...), largest first."""
        totals = {}
        for task in pathlib.Path(f"/proc/{self.java_pid()}/task").iterdir():
            try:
                stat = (task / "stat").read_text()
            except OSError:
                continue  # the thread ended meanwhile
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            name = re.sub(r"#?\d+$", "#", name)  # "C2 CompilerThre0" and "...1" together
            totals[name] = totals.get(name, 0) + (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))

    def stop(self):
        """shutdown, then exit, as the protocol asks; kill only if the server ignores them."""
        try:
            if self.proc.poll() is None:
                rid, _ = self.request("shutdown", None)
                deadline = time.perf_counter() + min(self.timeout, 10)
                while True:
                    _, message = self.next_message(deadline, "the answer to shutdown")
                    if message.get("id") == rid:
                        break
                self.notify("exit", None)
                self.proc.wait(timeout=10)
        except (ProbeError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.log.close()


class Document:
    """The client's copy of the text, edited with incremental changes; one version per change."""

    def __init__(self, path):
        self.path = path
        self.uri = path.resolve().as_uri()
        self.text_at_open = path.read_text()
        self.lines = self.text_at_open.split("\n")
        self.version = 1
        self.language = LANGUAGES.get(path.suffix.lower(), "yaml")
        self.sites = edit_sites(self.lines)

    def insert(self, line, column, ch):
        self.lines[line] = self.lines[line][:column] + ch + self.lines[line][column:]
        return self._change(line, column, line, column, ch)

    def delete(self, line, column, count=1):
        self.lines[line] = self.lines[line][:column] + self.lines[line][column + count:]
        return self._change(line, column, line, column + count, "")

    def _change(self, start_line, start_column, end_line, end_column, text):
        self.version += 1
        return {"textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [{"range": {"start": {"line": start_line, "character": start_column},
                                              "end": {"line": end_line, "character": end_column}},
                                    "text": text}]}


# A number ending a `key: value` line (YAML, or JSON before its comma), or a comment: typing a digit
# there keeps the file valid, the way most real keystrokes do.
NUMBER_AT_END = re.compile(r"^.*[:=]\s*-?\d[\d.eE+-]*(?=,?\s*$)")
COMMENT = re.compile(r"^\s*(#|//)")


def edit_sites(lines):
    """(line, column) where a keystroke goes, spread over the whole file."""
    sites = []
    for i, line in enumerate(lines):
        number = NUMBER_AT_END.match(line)
        if number:
            sites.append((i, number.end()))
        elif COMMENT.match(line):
            sites.append((i, len(line)))
    if not sites:  # an unusual file: a trailing space on any non-blank line
        sites = [(i, len(line)) for i, line in enumerate(lines) if line.strip()]
    if not sites:
        raise ProbeError("the file has no line to edit")
    return sites


def keystrokes(doc, start):
    """Endless edits: a digit typed at one site, then deleted; the next pair 37 sites further on."""
    k = start
    while True:
        line, column = doc.sites[(k * 37) % len(doc.sites)]
        yield doc.insert(line, column, "7")
        yield doc.delete(line, column)
        k += 1


def initialize(server, doc, pull):
    capabilities = {"textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": False},
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": False},
    }}
    if pull:
        capabilities["textDocument"]["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": False}
    rid, _ = server.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                           "capabilities": capabilities})
    deadline = time.perf_counter() + server.timeout
    while True:
        answered, message = server.next_message(deadline, "the answer to initialize")
        if message.get("id") == rid:
            break
    if "error" in message:
        raise ProbeError(f"initialize failed: {message['error']}")
    advertised = message["result"].get("capabilities", {})
    if pull and not advertised.get("diagnosticProvider"):
        raise ProbeError("--pull: the server does not advertise `diagnosticProvider` (LSP 3.17 pull diagnostics) "
                         "in its initialize result, so it cannot be asked for diagnostics")
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": doc.uri, "languageId": doc.language, "version": doc.version, "text": doc.text_at_open}})
    return answered


class PushDiagnostics:
    """Waits for `publishDiagnostics` of a given version; remembers every one published, to catch stale ones."""

    def __init__(self, server, doc):
        self.server = server
        self.doc = doc
        self.published = []  # (time, version)
        self.latest = None

    def wait(self, version, timeout=None):
        """(arrival time, diagnostics) of `version`; a server that skips it fails with a clear timeout."""
        deadline = time.perf_counter() + (timeout or self.server.timeout)
        while True:
            at, message = self.server.next_message(
                deadline, f"publishDiagnostics of version {version} (last published: {self.latest})")
            if self._record(at, message) == version:
                return at, message["params"]["diagnostics"]

    def drain(self, seconds):
        """Whatever is published in the next `seconds` (for the stale watch)."""
        end = time.perf_counter() + seconds
        while True:
            try:
                at, message = self.server.inbox.get(timeout=max(0.0, end - time.perf_counter()))
            except queue.Empty:
                return
            if "_closed" in message:
                raise ProbeError(f"server exited during the stale watch{self.server.stderr_tail()}")
            self._record(at, message)

    def _record(self, at, message):
        if message.get("method") != "textDocument/publishDiagnostics" or message["params"]["uri"] != self.doc.uri:
            return None
        version = message["params"].get("version")
        if version is None:
            raise ProbeError("publishDiagnostics without a `version`: the probe cannot tell which edit it answers")
        if self.latest is not None and version < self.latest:
            raise StaleDiagnostics(f"STALE DIAGNOSTICS: version {version} published after version {self.latest}")
        self.latest = version
        self.published.append((at, version))
        return version


class PullDiagnostics:
    """`textDocument/diagnostic` (LSP 3.17) with `previousResultId`; retriggers when the server asks to."""

    def __init__(self, server, doc):
        self.server = server
        self.doc = doc
        self.result_id = None
        self.kinds = {"full": 0, "unchanged": 0}
        self.retriggers = 0
        self.items = []

    def ask(self):
        params = {"textDocument": {"uri": self.doc.uri}}
        if self.result_id is not None:
            params["previousResultId"] = self.result_id
        rid, _ = self.server.request("textDocument/diagnostic", params)
        return rid

    def cancel(self, rid):
        self.server.notify("$/cancelRequest", {"id": rid})

    def wait(self, rid, abandoned=()):
        """(arrival time, diagnostics) of request `rid`; answers to `abandoned` (cancelled) requests are skipped."""
        deadline = time.perf_counter() + self.server.timeout
        pending = set(abandoned)
        while True:
            at, message = self.server.next_message(deadline, f"the answer to textDocument/diagnostic #{rid}")
            mid = message.get("id")
            if mid in pending:
                pending.discard(mid)
                continue
            if mid != rid:
                continue  # pushed diagnostics or late answers: not what an editor in pull mode waits for
            if "error" in message:
                error = message["error"]
                retrigger = (error.get("data") or {}).get("retriggerRequest", True)
                if error.get("code") in (SERVER_CANCELLED, CONTENT_MODIFIED) and retrigger:
                    self.retriggers += 1
                    rid = self.ask()
                    continue
                if error.get("code") == METHOD_NOT_FOUND:
                    raise ProbeError("--pull: the server does not implement textDocument/diagnostic (method not found)")
                raise ProbeError(f"textDocument/diagnostic failed: {error}")
            report = message["result"]
            kind = report.get("kind")
            if kind not in self.kinds:
                raise ProbeError(f"textDocument/diagnostic answered an unknown report kind: {report}")
            self.kinds[kind] += 1
            if kind == "full":
                self.items = report.get("items", [])
            self.result_id = report.get("resultId")
            return at, self.items


def percentile(values, share):
    """Nearest-rank percentile (the value below which `share` of the sorted values lie)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def one_run(path, args):
    doc = Document(path)
    server = Server(args.launcher, args.timeout)
    try:
        return measure(server, doc, args)
    except (ProbeError, StaleDiagnostics) as e:
        e.args = (f"{server.phase}: {e}",)  # say which part of the run failed
        raise
    finally:
        server.stop()


def measure(server, doc, args):
    figures = {"loadavg_start": os.getloadavg()[0]}
    answered = initialize(server, doc, args.pull)
    figures["initialize_ms"] = (answered - server.started) * 1000
    if args.pull:
        pull = PullDiagnostics(server, doc)
        first_at, first = pull.wait(pull.ask())
    else:
        push = PushDiagnostics(server, doc)
        first_at, first = push.wait(doc.version, timeout=max(server.timeout, 120))
    figures["launch_ms"] = (first_at - server.started) * 1000
    figures["launch_cpu_ms"] = server.cpu_ms()
    figures["launch_cpu_ms_by_thread"] = server.cpu_ms_by_thread()
    figures["first_diagnostics"] = sorted({str(d.get("code")) for d in first})
    figures["first_diagnostics_count"] = len(first)
    figures["rss_after_open_mb"] = server.rss_mb()

    server.phase = "paced edits"
    typing = keystrokes(doc, 0)
    latencies = []
    for _ in range(args.warm_up + args.edits):
        change = next(typing)
        sent = server.notify("textDocument/didChange", change)
        if args.pull:
            at, _ = pull.wait(pull.ask())
        else:
            at, _ = push.wait(doc.version)
        latencies.append((at - sent) * 1000)
    measured = latencies[args.warm_up:]
    figures.update(p50_ms=statistics.median(measured), p95_ms=percentile(measured, 0.95), max_ms=max(measured),
                   warm_up_discarded=args.warm_up, edits_measured=len(measured))

    server.phase = "burst"
    figures.update(burst(server, doc, args, pull if args.pull else push))
    server.phase = "soak"

    figures.update(soak(server, doc, args, pull if args.pull else push))
    if args.pull:
        figures["pull_reports"] = dict(pull.kinds)
        figures["pull_retriggers"] = pull.retriggers
    figures["loadavg_end"] = os.getloadavg()[0]
    return figures


def burst(server, doc, args, diagnostics):
    """Typing a word: B characters at the end of one site, ~10 ms apart."""
    line, column = doc.sites[len(doc.sites) // 2]
    first_version = doc.version + 1
    asked = []
    for i in range(args.burst):
        last_sent = server.notify("textDocument/didChange", doc.insert(line, column + i, "7"))
        if args.pull:
            # An editor in pull mode asks after each change and cancels the question it no longer needs.
            if asked:
                diagnostics.cancel(asked[-1])
            asked.append(diagnostics.ask())
        time.sleep(BURST_GAP_S)
    final = doc.version
    if args.pull:
        at, _ = diagnostics.wait(asked[-1], abandoned=asked[:-1])
        result = {"burst_settle_ms": (at - last_sent) * 1000, "burst_intermediate_published": None}
    else:
        at, _ = diagnostics.wait(final)
        diagnostics.drain(STALE_WATCH_S)  # raises StaleDiagnostics on anything older than `final`
        intermediate = {v for _, v in diagnostics.published if first_version <= v < final}
        result = {"burst_settle_ms": (at - last_sent) * 1000, "burst_intermediate_published": len(intermediate)}
    result["burst_edits"] = args.burst
    # Put the text back (one more version) so the soak edits the file as generated.
    server.notify("textDocument/didChange", doc.delete(line, column, args.burst))
    if args.pull:
        diagnostics.wait(diagnostics.ask())
    else:
        diagnostics.wait(doc.version)
    return result


def soak(server, doc, args, diagnostics):
    """S edits as fast as the pipe takes them; waits on every 100th (--soak-wait-every); RSS every 1,000."""
    series = [(0, server.rss_mb())]
    typing = keystrokes(doc, 1000)
    published_before = None if args.pull else len(diagnostics.published)
    started = time.perf_counter()
    for n in range(1, args.soak + 1):
        server.notify("textDocument/didChange", next(typing))
        if n % args.soak_wait_every == 0 or n == args.soak:
            if args.pull:
                diagnostics.wait(diagnostics.ask())
            else:
                diagnostics.wait(doc.version)
        if n % SOAK_SAMPLE_EVERY == 0 or n == args.soak and n % SOAK_SAMPLE_EVERY:
            series.append((n, server.rss_mb()))
    elapsed = time.perf_counter() - started
    warmed = series[1][1] if len(series) > 2 else series[0][1]
    published = None if args.pull else len(diagnostics.published) - published_before
    return {"soak_edits": args.soak, "soak_s": elapsed, "soak_published": published, "rss_series_mb": series,
            "rss_growth_mb": series[-1][1] - series[0][1],
            "rss_growth_after_1000_mb": series[-1][1] - warmed,
            "rss_growth_after_1000_share": (series[-1][1] - warmed) / warmed,
            "rss_peak_mb": server.rss_mb("VmHWM")}


def print_run(i, f):
    print(f"run {i}: launch -> first diagnostics {f['launch_ms']:.0f} ms (initialize answered at {f['initialize_ms']:.0f} ms; "
          f"server CPU {f['launch_cpu_ms']:.0f} ms; "
          f"{f['first_diagnostics_count']} diagnostics: {', '.join(f['first_diagnostics']) or 'none'}); "
          f"load {f['loadavg_start']:.2f} -> {f['loadavg_end']:.2f}")
    threads = ", ".join(f"{name} {ms:.0f}" for name, ms in list(f["launch_cpu_ms_by_thread"].items())[:6])
    print(f"  server CPU ms by thread at first diagnostics: {threads}")
    print(f"  edit -> diagnostics over {f['edits_measured']} paced edits (first {f['warm_up_discarded']} "
          f"discarded as warm-up): p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, max {f['max_ms']:.1f} ms")
    intermediate = f["burst_intermediate_published"]
    print(f"  burst of {f['burst_edits']} edits {BURST_GAP_S * 1000:.0f} ms apart: final diagnostics "
          f"{f['burst_settle_ms']:.1f} ms after the last edit"
          + ("" if intermediate is None else f"; {intermediate} intermediate versions published, none stale"))
    series = ", ".join(f"{n}: {mb:.0f}" for n, mb in f["rss_series_mb"])
    analysed = "" if f["soak_published"] is None else f" ({f['soak_published']} versions published)"
    print(f"  soak of {f['soak_edits']} edits in {f['soak_s']:.1f} s{analysed}; server RSS MB by edit count: {series}; "
          f"growth {f['rss_growth_mb']:+.0f} MB in all, {f['rss_growth_after_1000_mb']:+.0f} MB "
          f"({f['rss_growth_after_1000_share']:+.1%}) after edit 1,000; peak {f['rss_peak_mb']:.0f} MB")
    if "pull_reports" in f:
        print(f"  pull reports: {f['pull_reports']}, retriggered {f['pull_retriggers']} times")


MEDIAN_KEYS = ["launch_ms", "initialize_ms", "launch_cpu_ms", "p50_ms", "p95_ms", "max_ms", "burst_settle_ms", "rss_growth_mb",
               "rss_growth_after_1000_mb", "rss_growth_after_1000_share", "rss_peak_mb"]


def medians(runs):
    out = {key: statistics.median(r[key] for r in runs) for key in MEDIAN_KEYS}
    out["max_ms_any_run"] = max(r["max_ms"] for r in runs)
    # The RSS series, point by point.
    out["rss_series_mb"] = [(n, statistics.median(r["rss_series_mb"][i][1] for r in runs))
                            for i, (n, _) in enumerate(runs[0]["rss_series_mb"])]
    return out


def verdicts(m):
    return {
        f"edit -> diagnostics p50 <= {TARGET_P50_MS} ms": m["p50_ms"] <= TARGET_P50_MS,
        f"edit -> diagnostics max <= {TARGET_MAX_MS} ms": m["max_ms"] <= TARGET_MAX_MS,
        f"launch -> first diagnostics <= {TARGET_LAUNCH_MS} ms": m["launch_ms"] <= TARGET_LAUNCH_MS,
        f"RSS flat (growth after edit 1,000 <= {FLAT_RSS_SHARE:.0%})":
            m["rss_growth_after_1000_share"] <= FLAT_RSS_SHARE,
    }


def warm_up(path, args):
    """One uncounted launch: builds the jar and its class-data archive if needed, warms the file cache."""
    server = Server(args.launcher, max(args.timeout, 300))  # a first build takes a minute or two
    try:
        doc = Document(path)
        initialize(server, doc, args.pull)
        if args.pull:
            pull = PullDiagnostics(server, doc)
            pull.wait(pull.ask())
        else:
            PushDiagnostics(server, doc).wait(doc.version)
    finally:
        server.stop()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="fresh servers to measure (default 1)")
    parser.add_argument("--file", type=pathlib.Path, help="file to probe (default: the generated issue-7 YAML)")
    parser.add_argument("--pull", action="store_true", help="pull diagnostics (textDocument/diagnostic)")
    parser.add_argument("--json", type=pathlib.Path, help="write every figure to this JSON file")
    parser.add_argument("--edits", type=int, default=300, help="paced edits measured (default 300)")
    parser.add_argument("--warm-up", type=int, default=20, help="paced edits discarded first (default 20)")
    parser.add_argument("--burst", type=int, default=50, help="edits in the burst (default 50)")
    parser.add_argument("--soak", type=int, default=10000, help="edits in the soak (default 10,000)")
    parser.add_argument("--soak-wait-every", type=int, default=100,
                        help="in the soak, wait for the diagnostics of every Nth edit (default 100; 1 = every edit)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for any one answer (default 30)")
    parser.add_argument("--launcher", type=pathlib.Path, default=ROOT / "carbonlens", help="server launcher")
    args = parser.parse_args()
    if min(args.runs, args.edits, args.burst, args.soak, args.soak_wait_every) < 1 or args.warm_up < 0:
        parser.error("--runs, --edits, --burst, --soak and --soak-wait-every must be at least 1; --warm-up at least 0")
    return args


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="carbonlens-probe-") as scratch:
        if args.file:
            path = args.file
        else:
            path = pathlib.Path(scratch) / "llama8b-lora-ablations.yaml"
            path.write_text(generate_merge_keys_yaml.generate())
        text = path.read_text()
        print(f"{path}: {len(text.splitlines())} lines, {generate_merge_keys_yaml.count_merge_keys(text)} merge keys; "
              f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
              f"{'pull' if args.pull else 'push'} diagnostics")
        try:
            warm_up(path, args)
            runs = []
            for i in range(1, args.runs + 1):
                runs.append(one_run(path, args))
                print_run(i, runs[-1])
        except ProbeError as e:
            sys.stdout.flush()
            print(f"latency_probe: {e}", file=sys.stderr)
            return 2
        except StaleDiagnostics as e:
            sys.stdout.flush()
            print(f"latency_probe: {e}", file=sys.stderr)
            return 1
        m = medians(runs)
        series = ", ".join(f"{n}: {mb:.0f}" for n, mb in m["rss_series_mb"])
        print(f"medians over {len(runs)} runs: launch -> first {m['launch_ms']:.0f} ms (initialize answered at "
              f"{m['initialize_ms']:.0f} ms, server CPU {m['launch_cpu_ms']:.0f} ms); edit -> diagnostics "
              f"p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms, max {m['max_ms']:.1f} ms (worst run "
              f"{m['max_ms_any_run']:.1f} ms); burst settle "
              f"{m['burst_settle_ms']:.1f} ms; RSS MB {series} (growth after edit 1,000 "
              f"{m['rss_growth_after_1000_share']:+.1%})")
        checks = verdicts(m)
        for name, met in checks.items():
            print(f"  {'met   ' if met else 'MISSED'} {name}")
        if args.json:
            args.json.write_text(json.dumps({
                "file": str(args.file or "generated: bench/generate_merge_keys_yaml.py"),
                "lines": len(text.splitlines()), "merge_keys": generate_merge_keys_yaml.count_merge_keys(text),
                "mode": "pull" if args.pull else "push", "cpus": os.cpu_count(), "runs": runs, "medians": m,
                "targets": checks}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
