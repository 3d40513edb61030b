#!/usr/bin/env python3
"""timed.py OUT CMD... - run CMD with its stdout to OUT; print "wall_s cpu_s maxrss_kib".

The benchmark scripts' timer. GNU time prints seconds with two decimals: on a command that
takes 0.05 s, one 10 ms step is 20 % of the figure. Here wall time comes from the monotonic
clock and CPU time (user + system) from wait4()'s rusage, which Linux reports to the
microsecond, so the ratios to tshark are not rounded to whole ticks. Exits with CMD's status.
"""
import os
import sys
import time

if len(sys.argv) < 3:
    sys.exit("usage: timed.py OUT CMD...")
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
devnull = os.open(os.devnull, os.O_WRONLY)
start = time.monotonic()
pid = os.fork()
if pid == 0:
    os.dup2(out, 1)
    os.dup2(devnull, 2)
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.monotonic() - start
print(f"{wall:.4f} {ru.ru_utime + ru.ru_stime:.4f} {ru.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
