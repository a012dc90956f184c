"""bundle.py — the web page's generated scripts (make web).

    bundle.py engine OUT LOADER WASM WORKER
                                         window.GILSIM_ENGINE: the module's loader,
                                         the module itself (GILSIM_WASM, base64) and
                                         worker.js, as one script's text
    bundle.py examples OUT ROOT FILE...  window.GILSIM_EXAMPLES: each shipped
                                         config's path (from ROOT) and text

Both are plain <script> files, so the page works opened from a file: a
browser fetches nothing from a file:// address, but runs its scripts, and
starts a worker from a blob made of GILSIM_ENGINE."""

import base64
import json
import os
import sys


def write(out, name, value):
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("window.%s = %s;\n" % (name, json.dumps(value, ensure_ascii=True)))
    os.replace(tmp, out)


def main(argv):
    if len(argv) == 6 and argv[1] == "engine":
        loader, wasm, worker = argv[3:]
        with open(wasm, "rb") as f:
            module = base64.b64encode(f.read()).decode("ascii")
        text = (open(loader, encoding="utf-8").read() + "\n" +
                "const GILSIM_WASM = '%s';\n" % module +
                open(worker, encoding="utf-8").read())
        write(argv[2], "GILSIM_ENGINE", text)
    elif len(argv) >= 4 and argv[1] == "examples":
        root = argv[3]
        items = [{"path": os.path.relpath(p, root), "text": open(p, encoding="utf-8").read()}
                 for p in argv[4:]]
        write(argv[2], "GILSIM_EXAMPLES", items)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
