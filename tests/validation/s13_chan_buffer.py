"""Scenario 13: how many messages of a size fit in a pipe or a socketpair.

Fills a fresh os.pipe() and a fresh socket.socketpair() (AF_UNIX,
SOCK_STREAM), each made non-blocking on the writing side, with messages of
one size until the kernel refuses one (BlockingIOError, or a short write: a
message that only part of fits does not count).  That count is how many a
blocking writer gets in before it sleeps.

    python3 s13_chan_buffer.py --sizes 1,100,4096

prints a table and one line
`RESULT {"pipe": {"1": ..., ...}, "socketpair": {"1": ..., ...}, "wmem_default": ...}`
(wmem_default: /proc/sys/net/core/wmem_default, the socket's sk_sndbuf; null
where it cannot be read).
"""

import argparse
import json
import os
import socket


def fill(write, size):
    """Messages of `size` bytes write() takes whole before the buffer is full."""
    data = b"x" * size
    n = 0
    while True:
        try:
            if write(data) < size:
                return n
        except BlockingIOError:
            return n
        n += 1


def fill_pipe(size):
    r, w = os.pipe()
    try:
        os.set_blocking(w, False)
        return fill(lambda d: os.write(w, d), size)
    finally:
        os.close(r)
        os.close(w)


def fill_socketpair(size):
    a, b = socket.socketpair()
    with a, b:
        a.setblocking(False)
        return fill(a.send, size)


def wmem_default():
    try:
        with open("/proc/sys/net/core/wmem_default") as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,100,4096", help="message sizes in bytes, comma-separated")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    res = {"pipe": {}, "socketpair": {}, "wmem_default": wmem_default()}
    for size in sizes:
        res["pipe"][str(size)] = fill_pipe(size)
        res["socketpair"][str(size)] = fill_socketpair(size)
        print(f"{size:>7} bytes: pipe {res['pipe'][str(size)]:>6}, "
              f"socketpair {res['socketpair'][str(size)]:>6}")
    print("RESULT " + json.dumps(res))


if __name__ == "__main__":
    main()
