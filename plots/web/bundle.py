"""bundle.py — the web page's generated scripts (make web).

    bundle.py engine OUT LOADER WASM WORKER
                                         window.GILSIM_ENGINE: the module's loader,
                                         the module itself (GILSIM_WASM, base64) and
                                         worker.js, as one script's text
    bundle.py examples OUT ROOT FILE...  window.GILSIM_EXAMPLES: each shipped
                                         config's path (from ROOT) and text;
                                         window.GILSIM_LABS: the same of each file
                                         under configs/labs/ (lab.yaml, handout.md,
                                         templates: no answer is in them)

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
        labs = [i for i in items if i["path"].startswith("configs/labs/")]
        configs = [i for i in items if i not in labs]
        write(argv[2], "GILSIM_EXAMPLES", configs)
        with open(argv[2], "a", encoding="utf-8") as f:
            f.write("window.GILSIM_LABS = %s;\n" % json.dumps(labs, ensure_ascii=True))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
