"""Scenario 5: the course notes' asyncio examples 1, 2, 3, 4 and 6 (both
variants), as the notes give them.  Only change: every sleep is multiplied
by --scale (1 = the notes' code; --quick uses 0.2), and each example is a
function of this file.  The notes time with time.time() and print
"Total time: ..."; so do these copies.

    python3 s5_asyncio.py --example ex6_await_sleep [--scale 0.2]

prints the notes' output and one line `RESULT {"total_s": ...}`.
"""

import argparse
import asyncio
import json
import time

S = 1.0          # sleep scale, set from --scale
TOTAL = []       # the "Total time" each example prints


# --- Example 1: proper async/await usage: create_task + gather (~1 s) ------
def ex1_tasks_gather():
    async def print_number(number):
        print("Sleeping for 1 second...")
        await asyncio.sleep(1 * S)
        print(f"Number: {number}")

    async def main():
        tasks = []
        for i in range(5):
            tasks.append(asyncio.create_task(print_number(i)))
        await asyncio.gather(*tasks)

    start = time.time()
    asyncio.run(main())
    end = time.time()
    print(f"Total time: {end - start} seconds")
    TOTAL.append(end - start)


# --- Example 2: awaiting coroutines directly (5 s) ---------------------------
def ex2_await_coroutine():
    async def print_number(number):
        print("Sleeping for 1 second...")
        await asyncio.sleep(1 * S)
        print(f"Number: {number}")

    async def main():
        for i in range(5):
            await print_number(i)

    start = time.time()
    asyncio.run(main())
    end = time.time()
    print(f"Total time: {end - start} seconds")
    TOTAL.append(end - start)


# --- Example 3: time.sleep inside the coroutines (5 s) -----------------------
def ex3_blocking_sleep():
    async def print_number(number):
        print("Sleeping for 1 second...")
        time.sleep(1 * S)  # This is not awaiting, so will literally sleep/block resource.
        print(f"Number: {number}")

    async def main():
        tasks = []
        for i in range(5):
            tasks.append(asyncio.create_task(print_number(i)))
        await asyncio.gather(*tasks)

    start = time.time()
    asyncio.run(main())
    end = time.time()
    print(f"Total time: {end - start} seconds")
    TOTAL.append(end - start)


# --- Example 4: pure synchronous baseline (5 s) ------------------------------
def ex4_synchronous():
    def print_number(number):
        print("Sleeping for 1 second...")
        time.sleep(1 * S)
        print(f"Number: {number}")

    def main():
        for i in range(5):
            print_number(i)

    start = time.time()
    main()
    end = time.time()
    print(f"Total time: {end - start} seconds")
    TOTAL.append(end - start)


# --- Example 6: factorial tasks 10, 4, 6 -------------------------------------
def _ex6(blocking):
    async def async_factorial(name, n):
        start_time = time.time()
        print(f"Task {name}: Starting factorial({n})")
        result = 1
        for i in range(1, n + 1):
            result *= i
            if blocking:
                time.sleep(1 * S)            # the notes' variant: ~20 s
            else:
                await asyncio.sleep(1 * S)   # ~10 s
        print(f"Task {name}: factorial({n}) = {result}")
        print(f"Time taken for Task {name}: {time.time() - start_time:.4f} seconds")
        return result

    async def main():
        start_time = time.time()
        # Schedule multiple factorial tasks concurrently
        tasks = [
            asyncio.create_task(async_factorial("A", 10)),
            asyncio.create_task(async_factorial("B", 4)),
            asyncio.create_task(async_factorial("C", 6)),
        ]
        await asyncio.gather(*tasks)
        end_time = time.time()
        print(f"Total time: {end_time - start_time:.4f} seconds")
        TOTAL.append(end_time - start_time)

    asyncio.run(main())


def ex6_await_sleep():
    _ex6(blocking=False)


def ex6_time_sleep():
    _ex6(blocking=True)


EXAMPLES = {f.__name__: f for f in (ex1_tasks_gather, ex2_await_coroutine, ex3_blocking_sleep,
                                    ex4_synchronous, ex6_await_sleep, ex6_time_sleep)}


def main():
    global S
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--example", choices=sorted(EXAMPLES), required=True)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every sleep by this")
    a = ap.parse_args()
    S = a.scale
    EXAMPLES[a.example]()
    print("RESULT " + json.dumps({"total_s": TOTAL[-1], "scale": S}))


if __name__ == "__main__":
    main()
