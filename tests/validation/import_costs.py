"""Measures the import costs of include/imports.def on this machine's python3.

For each module of the table, in a fresh interpreter that has already
imported what a spawned child imports before it re-runs the parent's main
module (multiprocessing.spawn and its dependencies) and the table's rows
that module depends on, `python3 -X importtime` reports the module's
cumulative import time; the least of --runs runs is printed, as a line of
include/imports.def (microseconds).  Run it on an otherwise idle machine.

    python3 import_costs.py --runs 7
"""

import argparse
import subprocess
import sys

CHILD_BASE = "import multiprocessing.spawn, multiprocessing.process, multiprocessing.context"
# name -> the rows of the table it imports (include/imports.def's deps)
MODULES = {
    "threading": [], "socket": [], "selectors": [], "subprocess": [], "multiprocessing": [],
    "queue": [], "json": [], "concurrent.futures": [], "asyncio": ["concurrent.futures"],
}


def import_us(python, module, before):
    code = CHILD_BASE + "\n" + "".join(f"import {m}\n" for m in before) + f"import {module}\n"
    err = subprocess.run([python, "-X", "importtime", "-c", code],
                         capture_output=True, text=True, check=True).stderr
    for line in err.splitlines():
        fields = line.split("|")
        if len(fields) == 3 and fields[2].rstrip() == " " + module:
            return int(fields[1])
    return 0                       # already imported: the child pays nothing more


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--python", default=sys.executable)
    a = ap.parse_args()
    for module, deps in MODULES.items():
        us = min(import_us(a.python, module, deps) for _ in range(a.runs))
        print(f'{module:<20} {us:>7} us   (deps: {", ".join(deps) or "-"})', flush=True)


if __name__ == "__main__":
    main()
