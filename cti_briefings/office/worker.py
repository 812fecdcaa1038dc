"""Converts documents to PDF inside one running LibreOffice, on request.

Run by LibreOffice's Python (the one that can `import uno`), not by the package's own Python:
it uses the standard library and the UNO bridge only. It reads one JSON request a line on
standard input and answers one JSON line on standard output:

    {"convert": ["/in/a.docx", "/out/a.pdf"]}  ->  {"ok": "/out/a.pdf"}  or  {"error": "..."}
    {"quit": true}                             ->  LibreOffice is closed, the worker exits

Usage: python3 worker.py PIPE_NAME CONNECT_TIMEOUT_SECONDS
"""

import json
import sys
import time

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError as exc:  # reported by the parent as an install hint
    print(json.dumps({"error": f"no UNO bridge: {exc}", "missing_uno": True}), flush=True)
    sys.exit(3)


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


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
            time.sleep(0.05)


def _convert(desktop, source, target):
    load = (_property("Hidden", True), _property("ReadOnly", True), _property("UpdateDocMode", 0))
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, load)
    if document is None:
        raise RuntimeError("LibreOffice could not open it")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), (_property("FilterName", "writer_pdf_Export"),))
    finally:
        document.close(True)


def main():
    pipe_name, timeout = sys.argv[1], float(sys.argv[2])
    try:
        desktop = _connect(pipe_name, timeout)
    except Exception as exc:
        print(json.dumps({"error": f"could not reach LibreOffice: {exc}"}), flush=True)
        return 4
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            break
        source, target = request["convert"]
        try:
            _convert(desktop, source, target)
        except Exception as exc:  # any UNO failure is reported for this document, the next may work
            print(json.dumps({"error": str(getattr(exc, "Message", "") or exc)}), flush=True)
            continue
        print(json.dumps({"ok": target}), flush=True)
    try:
        desktop.terminate()
    except Exception:
        pass  # LibreOffice closing the connection as it exits is expected
    return 0


if __name__ == "__main__":
    sys.exit(main())
