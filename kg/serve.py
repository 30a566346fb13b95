"""Serve an embedded store as a SPARQL endpoint with the Oxigraph server.

``levant-kg serve`` calls :func:`serve`: the ``oxigraph`` program (PyPI
package ``oxigraph``, same storage format as pyoxigraph) opens the store
folder and answers SPARQL 1.1 at ``http://HOST:PORT/query`` (and, when
writable, ``/update`` and the Graph Store Protocol at ``/store``), with the
default graph as the union of the graphs, as everywhere in levant-kg.

* Bound to 127.0.0.1 unless another host is asked for: a store is research
  data, not a public service.
* Read-only unless asked (``oxigraph serve-read-only``). Oxigraph's
  read-only mode lets other processes read the store at the same time, but a
  process *writing* the store meanwhile (a ``levant-kg build``) is not
  supported: stop the server to rebuild. A writable server holds the store's
  lock, like any writer.

:class:`OxigraphServer` starts a server in the background and waits until it
answers (the test suite uses it with a temporary folder and a free port).
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable

from kg.errors import StoreError

__all__ = ["serve", "OxigraphServer", "oxigraph_binary", "server_command", "free_port", "DEFAULT_HOST",
           "DEFAULT_PORT"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
_MARKERS = ("CURRENT", "IDENTITY")  # files an Oxigraph (RocksDB) folder always has


def oxigraph_binary() -> str:
    """The ``oxigraph`` program: next to this Python (a virtualenv's bin), else on PATH."""
    exe = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sys.executable).parent / exe
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the Oxigraph server is not installed: `pip install oxigraph` (the same version as "
                     "pyoxigraph) provides the `oxigraph` program")


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def server_command(store_path: str | os.PathLike | None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                   read_only: bool = True, *, union_default_graph: bool = True,
                   timeout_s: int | None = None) -> list[str]:
    """The command line that serves ``store_path`` (None: an in-memory store, writable only)."""
    if store_path is None and read_only:
        raise StoreError("a read-only server needs a store folder")
    cmd = [oxigraph_binary(), "serve-read-only" if read_only else "serve"]
    if store_path is not None:
        cmd += ["--location", str(store_path)]
    cmd += ["--bind", _bind(host, port)]
    if union_default_graph:
        cmd.append("--union-default-graph")
    if timeout_s:
        cmd += ["--timeout-s", str(int(timeout_s))]
    return cmd


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port free on ``host`` right now (the OS picks it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise StoreError(f"cannot listen on {_bind(host, port)}: {exc.strerror or exc} "
                             "(another server there? choose another --port)") from None


def _writer_holds(path: Path) -> bool:
    """Whether another process has the store open for writing (it holds RocksDB's
    LOCK file; readers and read-only servers do not)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: let Oxigraph judge
        return False
    try:
        with open(path / "LOCK", "rb") as fh:
            try:
                fcntl.lockf(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            return False  # closing the file releases the probe's lock
    except OSError:
        return False


def _check_store(store_path: str | os.PathLike, read_only: bool) -> Path:
    path = Path(store_path).expanduser()
    if not path.exists():
        if read_only:
            raise StoreError("no store here (build one first, or serve it writable to start empty)", path)
        return path
    if not path.is_dir():
        raise StoreError("not a store: this is a file (a store is a folder)", path)
    entries = set(os.listdir(path))
    if entries and not all(m in entries for m in _MARKERS):
        raise StoreError("not a store: the folder holds other files", path)
    if not entries and read_only:
        raise StoreError("no store here (the folder is empty)", path)
    if entries and _writer_holds(path):
        raise StoreError("the store is open for writing by another process (a build?): Oxigraph cannot "
                         "serve it meanwhile, even read-only; serve it when that process is done", path)
    return path


class OxigraphServer:
    """A running ``oxigraph serve`` process. Use as a context manager, or call
    :meth:`start` and :meth:`stop`. ``port=None`` picks a free port.

    ``url`` is what :func:`kg.store.open_store` takes (``http://127.0.0.1:PORT``).
    """

    def __init__(self, store_path: str | os.PathLike | None = None, *, host: str = DEFAULT_HOST,
                 port: int | None = None, read_only: bool = False, union_default_graph: bool = True,
                 timeout_s: int | None = None, startup_timeout: float = 30.0):
        self.store_path = Path(store_path) if store_path is not None else None
        self.host = host
        self.port = port
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self.timeout_s = timeout_s
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self._log: Any = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> "OxigraphServer":
        if self.store_path is not None:
            _check_store(self.store_path, self.read_only)
        if self.port is None:
            self.port = free_port(self.host)
        else:
            _check_port(self.host, self.port)
        cmd = server_command(self.store_path, self.host, self.port, self.read_only,
                             union_default_graph=self.union_default_graph, timeout_s=self.timeout_s)
        import tempfile
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        atexit.register(self.stop)  # never outlive the Python process that started it
        self._wait_ready()
        return self

    def _output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        probe = f"{self.url}/query?query=ASK%7B%7D"
        while True:
            if self.process.poll() is not None:
                out = self._output()
                self.stop()
                raise StoreError(f"the Oxigraph server stopped at start (exit {self.process.returncode}): "
                                 f"{out[-800:] or 'no output'}", self.store_path or self.url)
            try:
                with opener.open(urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"}),
                                 timeout=2) as resp:
                    resp.read()
                return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise StoreError(f"the Oxigraph server did not answer within {self.startup_timeout:g} s", self.url)
            time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate, wait, kill if it does not go."""
        p = self.process
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
        atexit.unregister(self.stop)

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(store_path: str | os.PathLike, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          read_only: bool = True, *, union_default_graph: bool = True, timeout_s: int | None = None,
          echo: Callable[[str], None] | None = None) -> int:
    """Serve the store folder until interrupted (Ctrl-C or SIGTERM); returns the server's exit code.

    The CLI's ``levant-kg serve``. ``echo`` receives the lines to show the user
    (default: standard error).
    """
    say = echo or (lambda line: print(line, file=sys.stderr))
    path = _check_store(store_path, read_only)
    _check_port(host, port)
    cmd = server_command(path, host, port, read_only, union_default_graph=union_default_graph,
                         timeout_s=timeout_s)
    base = f"http://{_bind(host, port)}"
    say(f"Serving {path} {'read-only' if read_only else 'read-write'} with Oxigraph")
    say(f"  SPARQL query:  {base}/query")
    if not read_only:
        say(f"  SPARQL update: {base}/update    Graph Store: {base}/store")
    say(f"  levant-kg:     --store {base}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"  warning: listening on {host}, so other machines may reach the store")
    say("Stop with Ctrl-C.")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    previous = signal.getsignal(signal.SIGTERM)

    def _term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _term)
    except ValueError:  # not in the main thread
        previous = None
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
