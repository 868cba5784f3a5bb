#!/usr/bin/env python3
"""Edit -> diagnostics latency of the real `carbonlens lsp`, driven over stdio as an editor drives it.

Usage: bench/latency_probe.py [--runs K] [--file PATH] [--pull] [--json OUT] [--edits N] [--warm-up W]
                              [--burst B] [--soak S] [--soak-wait-every E] [--timeout SECONDS] [--launcher PATH]
                              [--peer yaml-language-server [--peer-only] [--peer-runs K] [--peer-edits N]
                               [--peer-warm-up W] [--peer-soak-wait-every E]]

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

--peer yaml-language-server then measures Red Hat's YAML server (installed from npm into bench/.cache on
first use, schema store off; bench/yaml_language_server.py) on the same file with the same edits, and prints
both side by side with the ratio per figure. Its diagnostics carry no version: an edit's diagnostics are
the first published after it was sent (see bench/README.md).

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
import yaml_language_server  # noqa: E402

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
# A server without versioned diagnostics: silence that ends its unasked publications (its delay is 200 ms).
QUIET_S = 1.0
# Issue 11: edit -> diagnostics at least this many times faster than yaml-language-server on the same file.
TARGET_PEER_RATIO = 50
# yaml-language-server validates the default file in seconds (see docs/performance.md): a longer wait.
PEER_TIMEOUT_S = 120
LANGUAGES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonc": "jsonc", ".py": "python", ".java": "java"}
# LSP error codes a pull may be answered with; the client asks again (LSP 3.17, DiagnosticServerCancellationData).
SERVER_CANCELLED = -32802
CONTENT_MODIFIED = -32801
METHOD_NOT_FOUND = -32601


class ProbeError(Exception):
    """The server failed, hung or answered wrongly: exit 2 with this message."""


class StaleDiagnostics(Exception):
    """Diagnostics of an older version arrived after newer ones: exit 1."""


class Target:
    """The server probed: CarbonLens (`carbonlens lsp`) or a peer such as yaml-language-server."""

    def __init__(self, name, command, versioned=True, configuration=None, client_capabilities=None, settings=None,
                 validation_delay_ms=None):
        self.name = name
        self.command = command
        self.versioned = versioned  # publishDiagnostics carries the document version
        self.configuration = configuration  # answers workspace/configuration items; None: null per item
        self.client_capabilities = client_capabilities or {}
        self.settings = settings  # sent with workspace/didChangeConfiguration after `initialized`
        self.validation_delay_ms = validation_delay_ms  # a fixed delay before every validation, if known


def carbonlens_target(launcher):
    return Target("CarbonLens", [str(launcher), "lsp"])


def peer_target(name):
    if name != yaml_language_server.NAME:
        raise ProbeError(f"unknown peer {name!r}")
    yaml_language_server.ensure_installed(log=lambda line: print(line, flush=True))
    return Target(name, yaml_language_server.command(), versioned=False,
                  configuration=yaml_language_server.configuration,
                  client_capabilities=yaml_language_server.CLIENT_CAPABILITIES,
                  settings=yaml_language_server.SETTINGS,
                  validation_delay_ms=yaml_language_server.VALIDATION_DELAY_MS)


class Server:
    """The server as a child process; a reader thread timestamps every message as it arrives."""

    def __init__(self, target, timeout):
        self.target = target
        self.timeout = timeout
        self.log = tempfile.TemporaryFile()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(target.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
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
        # An editor answers what the server asks: settings where the target has some, else empty answers.
        method = message["method"]
        if method == "workspace/configuration":
            items = message.get("params", {}).get("items", [])
            configure = self.target.configuration
            result = configure(items) if configure else [None for _ in items]
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
        to_visit = [self.proc.pid]
        while to_visit:
            pid = to_visit.pop(0)
            try:
                if pathlib.Path(f"/proc/{pid}/comm").read_text().strip() == "java":
                    return pid
                for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
                    to_visit += [int(c) for c in (task / "children").read_text().split()]
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
    capabilities.update(server.target.client_capabilities)
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
    if server.target.settings is not None:
        server.notify("workspace/didChangeConfiguration", {"settings": server.target.settings})
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

    def wait(self, version, timeout=None, after=None):
        """(arrival time, diagnostics) of `version`; a server that skips it fails with a clear timeout.
        (`after`, the time the edit was sent, matters only to servers that publish no version.)"""
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


class UnversionedPushDiagnostics(PushDiagnostics):
    """For a server whose `publishDiagnostics` carries no version (yaml-language-server): the diagnostics of
    an edit are the first published after it was sent. Sound while one edit at a time is in flight (the
    paced edits wait for each before the next); publications that arrive unasked are counted."""

    def __init__(self, server, doc):
        super().__init__(server, doc)
        self.unmatched = 0  # publications that arrived before the edit being waited for was sent

    def wait(self, version, timeout=None, after=None):
        deadline = time.perf_counter() + (timeout or self.server.timeout)
        while True:
            at, message = self.server.next_message(
                deadline, f"the first publishDiagnostics after the edit to version {version} was sent")
            if self._record(at, message) is None:
                continue
            if after is not None and at < after:
                self.unmatched += 1
                continue
            self.latest = version
            return at, message["params"]["diagnostics"]

    def quiet(self, seconds, limit):
        """Reads publications until none arrived for `seconds` (at most `limit` s); returns their times."""
        end = time.perf_counter() + limit
        times = []
        while True:
            left = min(seconds, end - time.perf_counter())
            if left <= 0:
                raise ProbeError(f"publications kept coming for {limit:.0f} s{self.server.stderr_tail()}")
            try:
                at, message = self.server.inbox.get(timeout=left)
            except queue.Empty:
                return times
            if "_closed" in message:
                raise ProbeError(f"server exited while the probe waited for quiet{self.server.stderr_tail()}")
            if self._record(at, message) is not None:
                times.append(at)

    def _record(self, at, message):
        if message.get("method") != "textDocument/publishDiagnostics" or message["params"]["uri"] != self.doc.uri:
            return None
        self.published.append((at, None))
        return True


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


def one_run(path, args, target):
    doc = Document(path)
    server = Server(target, args.timeout)
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
        push = (PushDiagnostics if server.target.versioned else UnversionedPushDiagnostics)(server, doc)
        first_at, first = push.wait(doc.version, timeout=max(server.timeout, 120))
    figures["launch_ms"] = (first_at - server.started) * 1000
    figures["launch_cpu_ms"] = server.cpu_ms()
    figures["launch_cpu_ms_by_thread"] = server.cpu_ms_by_thread()
    figures["first_diagnostics"] = sorted({str(d.get("code")) for d in first})
    figures["first_diagnostics_count"] = len(first)
    figures["rss_after_open_mb"] = server.rss_mb()
    if not server.target.versioned:
        # Anything else it publishes unasked at start (it re-validates open documents once it has its
        # settings) must be over before edits are matched to the first publication after them.
        figures["publications_after_first"] = len(push.quiet(QUIET_S, max(server.timeout, 60)))
        server.phase = "re-validation check"
        figures["revalidates_per_edit"] = revalidates(server, doc, push, len(first))

    server.phase = "paced edits"
    typing = keystrokes(doc, 0)
    latencies = []
    for _ in range(args.warm_up + args.edits):
        change = next(typing)
        sent = server.notify("textDocument/didChange", change)
        if args.pull:
            at, _ = pull.wait(pull.ask())
        else:
            at, _ = push.wait(doc.version, after=sent)
        latencies.append((at - sent) * 1000)
    measured = latencies[args.warm_up:]
    figures.update(p50_ms=statistics.median(measured), p95_ms=percentile(measured, 0.95), max_ms=max(measured),
                   warm_up_discarded=args.warm_up, edits_measured=len(measured))
    if not server.target.versioned:
        figures["publications_after_paced"] = len(push.quiet(QUIET_S, max(server.timeout, 60)))

    server.phase = "burst"
    figures.update(burst(server, doc, args, pull if args.pull else push))
    server.phase = "soak"

    figures.update(soak(server, doc, args, pull if args.pull else push))
    if not server.target.versioned:
        figures["publications_unmatched"] = push.unmatched
    if args.pull:
        figures["pull_reports"] = dict(pull.kinds)
        figures["pull_retriggers"] = pull.retriggers
    figures["loadavg_end"] = os.getloadavg()[0]
    return figures


def revalidates(server, doc, push, baseline):
    """An unversioned server: proves that an edit re-runs validation, so that the first publication after
    an edit is its result. A YAML error typed at a number (`: x` makes a nested compact mapping) must add a
    diagnostic; deleting it must bring the count back."""
    line, column = next(((i, c) for i, c in doc.sites if doc.lines[i][:c].rstrip()[-1:].isdigit()), doc.sites[0])
    sent = server.notify("textDocument/didChange", doc.insert(line, column, ": x"))
    _, broken = push.wait(doc.version, after=sent)
    sent = server.notify("textDocument/didChange", doc.delete(line, column, 3))
    _, mended = push.wait(doc.version, after=sent)
    if not (len(broken) > baseline and len(mended) == baseline):
        raise ProbeError(f"{server.target.name} did not re-validate per edit ({baseline} diagnostics at open, "
                         f"{len(broken)} with a syntax error typed in, {len(mended)} once it was deleted): "
                         "its publications cannot be matched to edits")
    return True


def burst(server, doc, args, diagnostics):
    """Typing a word: B characters at the end of one site, ~10 ms apart."""
    line, column = doc.sites[len(doc.sites) // 2]
    first_version = doc.version + 1
    asked = []
    published_before = len(diagnostics.published) if not args.pull else 0
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
    elif not server.target.versioned:
        # No versions: the final diagnostics are the last publication before the server falls quiet
        # (STALE_WATCH_S without one), and it must come after the last edit.
        unmatched = diagnostics.unmatched
        diagnostics.wait(final, after=last_sent)
        diagnostics.unmatched = unmatched  # publications during the burst are intermediate, not unmatched
        diagnostics.quiet(STALE_WATCH_S, max(server.timeout, 60))
        times = [at for at, _ in diagnostics.published[published_before:]]
        if not times or times[-1] < last_sent:
            raise ProbeError(f"nothing published after the last edit of the burst{server.stderr_tail()}")
        result = {"burst_settle_ms": (times[-1] - last_sent) * 1000, "burst_intermediate_published": len(times) - 1}
    else:
        at, _ = diagnostics.wait(final)
        diagnostics.drain(STALE_WATCH_S)  # raises StaleDiagnostics on anything older than `final`
        intermediate = {v for _, v in diagnostics.published if first_version <= v < final}
        result = {"burst_settle_ms": (at - last_sent) * 1000, "burst_intermediate_published": len(intermediate)}
    result["burst_edits"] = args.burst
    # Put the text back (one more version) so the soak edits the file as generated.
    sent = server.notify("textDocument/didChange", doc.delete(line, column, args.burst))
    if args.pull:
        diagnostics.wait(diagnostics.ask())
    else:
        diagnostics.wait(doc.version, after=sent)
    return result


def soak(server, doc, args, diagnostics):
    """S edits as fast as the pipe takes them; waits on every 100th (--soak-wait-every); RSS every 1,000."""
    series = [(0, server.rss_mb())]
    typing = keystrokes(doc, 1000)
    published_before = None if args.pull else len(diagnostics.published)
    started = time.perf_counter()
    for n in range(1, args.soak + 1):
        sent = server.notify("textDocument/didChange", next(typing))
        if n % args.soak_wait_every == 0 or n == args.soak:
            if args.pull:
                diagnostics.wait(diagnostics.ask())
            else:
                diagnostics.wait(doc.version, after=sent)
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
    versioned = "publications_unmatched" not in f
    if not versioned:
        print(f"  no versions in its publications: {f['publications_after_first']} more published unasked after the "
              f"first; an edit re-runs validation (a syntax error typed in showed, and went when deleted)")
    print(f"  edit -> diagnostics over {f['edits_measured']} paced edits (first {f['warm_up_discarded']} "
          f"discarded as warm-up): p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, max {f['max_ms']:.1f} ms"
          + ("" if versioned else f" (first publication after each edit; {f['publications_after_paced']} "
                                   "more arrived after the last)"))
    intermediate = f["burst_intermediate_published"]
    if intermediate is None:
        burst_note = ""
    elif versioned:
        burst_note = f"; {intermediate} intermediate versions published, none stale"
    else:
        burst_note = f"; {intermediate} other publications from the first edit of the burst on"
    print(f"  burst of {f['burst_edits']} edits {BURST_GAP_S * 1000:.0f} ms apart: final diagnostics "
          f"{f['burst_settle_ms']:.1f} ms after the last edit{burst_note}")
    series = ", ".join(f"{n}: {mb:.0f}" for n, mb in f["rss_series_mb"])
    analysed = "" if f["soak_published"] is None else \
        f" ({f['soak_published']} {'versions' if versioned else 'diagnostics'} published)"
    print(f"  soak of {f['soak_edits']} edits in {f['soak_s']:.1f} s{analysed}; server RSS MB by edit count: {series}; "
          f"growth {f['rss_growth_mb']:+.0f} MB in all, {f['rss_growth_after_1000_mb']:+.0f} MB "
          f"({f['rss_growth_after_1000_share']:+.1%}) after edit 1,000; peak {f['rss_peak_mb']:.0f} MB")
    if not versioned and f["publications_unmatched"]:
        print(f"  {f['publications_unmatched']} publications arrived before the edit waited for (not matched)")
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
    out["rss_end_mb"] = out["rss_series_mb"][-1][1]
    return out


def print_medians(name, runs, m):
    series = ", ".join(f"{n}: {mb:.0f}" for n, mb in m["rss_series_mb"])
    print(f"{name}, medians over {len(runs)} runs: launch -> first {m['launch_ms']:.0f} ms (initialize answered at "
          f"{m['initialize_ms']:.0f} ms, server CPU {m['launch_cpu_ms']:.0f} ms); edit -> diagnostics "
          f"p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms, max {m['max_ms']:.1f} ms (worst run "
          f"{m['max_ms_any_run']:.1f} ms); burst settle "
          f"{m['burst_settle_ms']:.1f} ms; RSS MB {series} (growth after edit 1,000 "
          f"{m['rss_growth_after_1000_share']:+.1%})")


def verdicts(m):
    return {
        f"edit -> diagnostics p50 <= {TARGET_P50_MS} ms": m["p50_ms"] <= TARGET_P50_MS,
        f"edit -> diagnostics max <= {TARGET_MAX_MS} ms": m["max_ms"] <= TARGET_MAX_MS,
        f"launch -> first diagnostics <= {TARGET_LAUNCH_MS} ms": m["launch_ms"] <= TARGET_LAUNCH_MS,
        f"RSS flat (growth after edit 1,000 <= {FLAT_RSS_SHARE:.0%})":
            m["rss_growth_after_1000_share"] <= FLAT_RSS_SHARE,
    }


# Figures set side by side with a peer: (label, key, unit). The ratio is peer / CarbonLens: above 1,
# CarbonLens is faster (or smaller) by that factor.
COMPARED = [("launch -> first diagnostics", "launch_ms", "ms"),
            ("edit -> diagnostics p50", "p50_ms", "ms"),
            ("edit -> diagnostics p95", "p95_ms", "ms"),
            ("edit -> diagnostics max", "max_ms", "ms"),
            ("burst settle (last edit -> final)", "burst_settle_ms", "ms"),
            ("RSS after the soak", "rss_end_mb", "MB"),
            ("RSS peak (VmHWM)", "rss_peak_mb", "MB")]


def compare(ours, peer, peer_target):
    """Side by side, the ratio per figure, and the same edit figures less the peer's fixed validation delay."""
    rows = []
    for label, key, unit in COMPARED:
        rows.append({"figure": label, "unit": unit, "carbonlens": ours[key], "peer": peer[key],
                     "ratio": peer[key] / ours[key] if ours[key] else None})
    delay = peer_target.validation_delay_ms
    if delay:
        for key in ("p50_ms", "p95_ms", "max_ms"):
            label = f"edit -> diagnostics {key[:-3]}, peer less its {delay} ms delay"
            rest = peer[key] - delay
            rows.append({"figure": label, "unit": "ms", "carbonlens": ours[key], "peer": rest,
                         "ratio": rest / ours[key] if ours[key] else None})
    return rows


def print_comparison(rows, peer_name):
    width = max(len(r["figure"]) for r in rows)
    print(f"\n{'figure (medians)':<{width}}  {'CarbonLens':>12}  {peer_name:>22}  {'ratio':>8}")
    for r in rows:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.1f}x"
        print(f"{r['figure']:<{width}}  {r['carbonlens']:>9.1f} {r['unit']:<2}  {r['peer']:>19.1f} {r['unit']:<2}  "
              f"{ratio:>8}")


def peer_verdicts(rows):
    p50 = next(r for r in rows if r["figure"] == "edit -> diagnostics p50")
    return {f"edit -> diagnostics p50 >= {TARGET_PEER_RATIO}x faster than the peer":
            p50["ratio"] is not None and p50["ratio"] >= TARGET_PEER_RATIO}


def warm_up(path, args, target):
    """One uncounted launch: builds the jar and its class-data archive if needed, warms the file cache."""
    server = Server(target, max(args.timeout, 300))  # a first build takes a minute or two
    try:
        doc = Document(path)
        initialize(server, doc, args.pull)
        if args.pull:
            pull = PullDiagnostics(server, doc)
            pull.wait(pull.ask())
        else:
            (PushDiagnostics if target.versioned else UnversionedPushDiagnostics)(server, doc).wait(doc.version)
    finally:
        server.stop()


def measure_target(path, args, target):
    """The uncounted launch, then --runs fresh servers; prints each run and the medians."""
    print(f"--- {target.name}: {' '.join(target.command)}", flush=True)
    warm_up(path, args, target)
    runs = []
    for i in range(1, args.runs + 1):
        runs.append(one_run(path, args, target))
        print_run(i, runs[-1])
        sys.stdout.flush()
    m = medians(runs)
    print_medians(target.name, runs, m)
    return runs, m


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
    parser.add_argument("--peer", choices=[yaml_language_server.NAME],
                        help="after CarbonLens, measure this server on the same file with the same edits "
                             "(installed from npm into bench/.cache on first use) and print both side by side")
    parser.add_argument("--peer-only", action="store_true", help="with --peer: measure the peer alone")
    parser.add_argument("--peer-runs", type=int, default=1, help="fresh peer servers to measure (default 1)")
    parser.add_argument("--peer-edits", type=int, default=20,
                        help="paced edits measured on the peer: the first of the same sequence (default 20; "
                             "yaml-language-server takes seconds per edit on the default file)")
    parser.add_argument("--peer-warm-up", type=int, default=2, help="peer paced edits discarded first (default 2)")
    parser.add_argument("--peer-soak-wait-every", type=int, default=1000,
                        help="in the peer's soak (--soak edits), wait for the diagnostics of every Nth (default 1000)")
    args = parser.parse_args()
    if min(args.runs, args.edits, args.burst, args.soak, args.soak_wait_every) < 1 or args.warm_up < 0:
        parser.error("--runs, --edits, --burst, --soak and --soak-wait-every must be at least 1; --warm-up at least 0")
    if args.peer and args.pull:
        parser.error("--peer measures push diagnostics (yaml-language-server has no pull diagnostics): leave out --pull")
    if args.peer_only and not args.peer:
        parser.error("--peer-only needs --peer")
    if min(args.peer_runs, args.peer_edits, args.peer_soak_wait_every) < 1 or args.peer_warm_up < 0:
        parser.error("--peer-runs, --peer-edits and --peer-soak-wait-every must be at least 1; --peer-warm-up at least 0")
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
        report = {"file": str(args.file or "generated: bench/generate_merge_keys_yaml.py"),
                  "lines": len(text.splitlines()), "merge_keys": generate_merge_keys_yaml.count_merge_keys(text),
                  "mode": "pull" if args.pull else "push", "cpus": os.cpu_count()}
        try:
            peer = peer_target(args.peer) if args.peer else None
            if not args.peer_only:
                runs, m = measure_target(path, args, carbonlens_target(args.launcher))
                checks = verdicts(m)
                for name, met in checks.items():
                    print(f"  {'met   ' if met else 'MISSED'} {name}")
                report.update(runs=runs, medians=m, targets=checks)
            if peer:
                peer_args = argparse.Namespace(**vars(args))
                peer_args.runs, peer_args.edits, peer_args.warm_up = args.peer_runs, args.peer_edits, args.peer_warm_up
                peer_args.soak_wait_every = args.peer_soak_wait_every
                peer_args.timeout = max(args.timeout, PEER_TIMEOUT_S)
                peer_runs, peer_m = measure_target(path, peer_args, peer)
                report["peer"] = {"name": peer.name, "version": yaml_language_server.VERSION,
                                  "runs_measured": args.peer_runs, "edits": args.peer_edits,
                                  "warm_up": args.peer_warm_up, "soak_wait_every": args.peer_soak_wait_every,
                                  "settings": yaml_language_server.SETTINGS,
                                  "validation_delay_ms": peer.validation_delay_ms,
                                  "runs": peer_runs, "medians": peer_m}
                if not args.peer_only:
                    rows = compare(m, peer_m, peer)
                    print_comparison(rows, f"{peer.name} {yaml_language_server.VERSION}")
                    peer_checks = peer_verdicts(rows)
                    for name, met in peer_checks.items():
                        print(f"  {'met   ' if met else 'MISSED'} {name}")
                    report["comparison"] = rows
                    report["targets"].update(peer_checks)
        except yaml_language_server.PeerUnavailable as e:
            sys.stdout.flush()
            print(f"latency_probe: {e}", file=sys.stderr)
            return 2
        except ProbeError as e:
            sys.stdout.flush()
            print(f"latency_probe: {e}", file=sys.stderr)
            return 2
        except StaleDiagnostics as e:
            sys.stdout.flush()
            print(f"latency_probe: {e}", file=sys.stderr)
            return 1
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
