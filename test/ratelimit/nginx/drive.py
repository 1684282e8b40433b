"""Sends timed requests to the nginx of nginx.conf (127.0.0.1:18080), one connection each.

  python3 drive.py article <location>             30 at once, then 1 every 100 ms (ground truth 4.1)
  python3 drive.py random <location> N MEAN SEED  N requests: 30% in the same instant as the previous,
                                                  the rest after an exponential gap of mean MEAN seconds
nginx logs each decision ($limit_req_status) and its timing; test/ratelimit/nginxLog.test.ts replays the log.
"""
import random
import socket
import sys
import time


def send_at(loc, gaps):
    socks = [socket.create_connection(("127.0.0.1", 18080)) for _ in gaps]
    for s in socks:
        s.setblocking(False)
    t = time.monotonic()
    for i, gap in enumerate(gaps):
        t += gap
        while time.monotonic() < t:
            pass  # busy-wait: sleep() overshoots by more than a millisecond
        socks[i].send(f"GET /{loc}/index.html?i={i} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    time.sleep(4)  # delayed answers
    for s in socks:
        s.close()


if sys.argv[1] == "article":
    send_at(sys.argv[2], [0.0] * 30 + [0.1] * 30)
else:
    loc, n, mean, seed = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    send_at(loc, [0.0 if rng.random() < 0.3 else rng.expovariate(1 / mean) for _ in range(n)])
