"""Converts documents to PDF inside one running LibreOffice, on request.

Run by LibreOffice's Python (the one that can `import uno`), not by the package's own Python:
it uses the standard library and the UNO bridge only. It reads one JSON request a line on
standard input and answers one JSON line on standard output:

    (once connected)                           ->  {"ready": true}  or  {"error": "...", "lost": true}
    {"convert": ["/in/a.docx", "/out/a.pdf"]}  ->  {"ok": "/out/a.pdf"}  or  {"error": "..."}
                                                   ("lost": true when LibreOffice itself is gone)
    {"quit": true}, or standard input closed   ->  LibreOffice is closed, the worker exits

When standard input closes (the build ended, however it ended) LibreOffice is asked to quit
and, if it is busy or hung, killed: no LibreOffice outlives the build that started it.

Usage: python3 worker.py PIPE_NAME CONNECT_TIMEOUT_SECONDS OFFICE_PID
"""

import json
import os
import queue
import signal
import sys
import threading
import time

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError as exc:  # reported by the parent as an install hint
    print(json.dumps({"error": f"no UNO bridge: {exc}", "missing_uno": True}), flush=True)
    sys.exit(3)

QUIT_GRACE_SECONDS = 3.0
# Load documents as data: no macros, no link updates, the Word filter only (a file that is
# really HTML or RTF under a .docx name is refused rather than imported with its references).
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecutionMode.NEVER_EXECUTE
WORD_FILTER = "MS Word 2007 XML"


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _answer(**fields):
    print(json.dumps(fields), flush=True)


def _connect(pipe_name, timeout):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _convert(desktop, source, target):
    load = (
        _property("Hidden", True), _property("ReadOnly", True), _property("FilterName", WORD_FILTER),
        _property("UpdateDocMode", NO_UPDATE), _property("MacroExecutionMode", NEVER_EXECUTE),
    )
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, load)
    if document is None:
        raise RuntimeError("LibreOffice could not open it")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), (_property("FilterName", "writer_pdf_Export"),))
    finally:
        document.close(True)


def _still_connected(desktop):
    try:
        desktop.getComponents()
    except Exception:  # a disposed bridge raises UNO's own exception types
        return False
    return True


def _read_requests(requests, office_pid, finished):
    for line in sys.stdin:
        try:
            requests.put(json.loads(line))
        except ValueError:
            continue  # not a request; the parent only sends JSON
    requests.put({"quit": True})
    # The main loop quits LibreOffice once it is free; if a conversion, the connection or the
    # quit itself hangs, and the build is gone, nobody else is left to stop LibreOffice.
    if not finished.wait(QUIT_GRACE_SECONDS):
        _kill_office(office_pid)
        os._exit(0)


def _kill_office(office_pid):
    try:
        os.killpg(office_pid, signal.SIGKILL)
    except OSError:
        pass  # already gone


def _serve(desktop, requests):
    """Answer conversion requests until told to quit; return the worker's exit status."""
    while True:
        request = requests.get()
        if request.get("quit"):
            return 0
        source, target = request["convert"]
        try:
            _convert(desktop, source, target)
        except Exception as exc:  # any UNO failure is reported for this document, the next may work
            message = str(getattr(exc, "Message", "") or exc) or exc.__class__.__name__
            if not _still_connected(desktop):
                _answer(error=message, lost=True)
                return 5
            _answer(error=message)
            continue
        _answer(ok=target)


def _quit_office(desktop, office_pid):
    try:
        desktop.terminate()
    except Exception:
        pass  # LibreOffice closing the connection as it exits is expected
    deadline = time.monotonic() + QUIT_GRACE_SECONDS
    while time.monotonic() < deadline:
        try:
            os.kill(office_pid, 0)
        except OSError:
            return
        time.sleep(0.05)
    _kill_office(office_pid)  # still there: the build is gone, or LibreOffice would not quit


def main():
    pipe_name, timeout, office_pid = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    requests: queue.Queue = queue.Queue()
    finished = threading.Event()
    threading.Thread(target=_read_requests, args=(requests, office_pid, finished), daemon=True).start()
    try:
        desktop = _connect(pipe_name, timeout)
    except Exception as exc:
        _answer(error=f"could not reach LibreOffice: {getattr(exc, 'Message', '') or exc}", lost=True)
        return 4
    try:
        _answer(ready=True)
        return _serve(desktop, requests)
    finally:
        # However this ends (a quit, a lost connection, or an answer nobody reads because the
        # build was killed), LibreOffice does not outlive the worker.
        _quit_office(desktop, office_pid)
        finished.set()


if __name__ == "__main__":
    sys.exit(main())
