"""yaml-language-server (Red Hat) as the peer of `latency_probe.py --peer yaml-language-server`.

Installs a pinned version from npm into bench/.cache/yaml-language-server once (`npm install --prefix`),
starts it over stdio with Node, and answers its `workspace/configuration` requests with the settings
below: validation on, schema store off (no network, no schema: the same file is only parsed and checked
for YAML errors), hover, completion and formatting off.

What the probe must know about it (read from its source, version 1.25.0,
out/server/src/languageserver/handlers/validationHandlers.js):
- every change of the document (didOpen, didChange) restarts a fixed 200 ms timer; when it fires the
  server asks the client for the `[yaml]` section (`workspace/configuration`), parses the whole text
  (its YAML document cache is keyed by version, so every version is parsed afresh) and publishes;
- `publishDiagnostics` carries no `version`: the probe matches a publication to the first one that
  arrives after the edit was sent (paced edits wait for it before the next edit, so there is no other
  validation in flight), and checks once that an edit really re-runs validation (a syntax error typed
  in must show, and go when deleted);
- the 200 ms delay cannot be set by a client (no setting reads `validationDelayMs`).
"""
import json
import pathlib
import shutil
import subprocess

VERSION = "1.25.0"  # the newest 1.x; 2.0.0 needs Node >= 22.13
# The launcher's validation delay (yamlSettings.validationDelayMs); reported next to the figures.
VALIDATION_DELAY_MS = 200
CACHE = pathlib.Path(__file__).resolve().parent / ".cache" / "yaml-language-server"
PACKAGE = CACHE / "node_modules" / "yaml-language-server"
NAME = "yaml-language-server"

# `workspace/didChangeConfiguration` sends these; `workspace/configuration` is answered from them.
SETTINGS = {
    "yaml": {
        "schemaStore": {"enable": False, "url": ""},
        "validate": True,
        "schemas": {},
        "hover": False,
        "completion": False,
        "format": {"enable": False},
        "customTags": [],
        "maxItemsComputed": 5000,
    },
    "http": {"proxy": "", "proxyStrictSSL": False},
    "[yaml]": {},
    "editor": {},
}

# What an editor declares so that the server pulls its settings (as VS Code does).
CLIENT_CAPABILITIES = {"workspace": {"configuration": True,
                                     "didChangeConfiguration": {"dynamicRegistration": False}}}


class PeerUnavailable(Exception):
    """npm or node is missing, or the install failed: the message says what to do."""


def installed_version():
    try:
        return json.loads((PACKAGE / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_installed(log=print):
    """Installs the pinned version into the cache folder unless it is already there. Returns its folder."""
    if installed_version() == VERSION:
        return PACKAGE
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise PeerUnavailable(
            f"--peer {NAME} needs Node.js and npm on the PATH (to install {NAME}@{VERSION} into {CACHE}); "
            "install them (e.g. `apt-get install nodejs npm`) or run the probe without --peer")
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"installing {NAME}@{VERSION} from npm into {CACHE} (once)...")
    proc = subprocess.run(["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--loglevel=error",
                           f"{NAME}@{VERSION}"], capture_output=True, text=True)
    if proc.returncode != 0 or installed_version() != VERSION:
        raise PeerUnavailable(f"npm install {NAME}@{VERSION} failed (exit {proc.returncode}):\n"
                              f"{(proc.stderr or proc.stdout)[-2000:]}")
    return PACKAGE


def command():
    """The server over stdio, started by Node directly (so the process measured is the server itself)."""
    return [shutil.which("node") or "node", str(PACKAGE / "bin" / "yaml-language-server"), "--stdio"]


def configuration(items):
    """The answer to `workspace/configuration`: one value per item, by section; schema store always off."""
    return [SETTINGS.get((item or {}).get("section"), {}) for item in items]
