#!/usr/bin/python3
"""Watches regions of the X screen for a colour; prints when each one appears and goes.

    screen.py NAME=X,Y,W,H,RRGGBB,MIN ...

A region is "on" while at least MIN of its pixels are exactly RRGGBB. Each change prints one
line on stdout, `NAME on|off UNIX_MS`, the wall-clock time of the read that saw it. Runs until
stopped. The start-up figure uses it to time when a window's content is on the screen, which
is later than when the page says it painted: the frame still has to be composited (under Xvfb,
by software OpenGL) and shown.

Reads the screen about every 4 ms (a read of a small region takes ~1 ms of one core here).
Needs python3-xlib (scripts/lib.sh installs it) and DISPLAY.
"""

import sys
import time

from Xlib import X, display

POLL_SECONDS = 0.003


def parse(arg):
    name, spec = arg.split('=', 1)
    x, y, w, h, rgb, least = spec.split(',')
    r, g, b = bytes.fromhex(rgb)
    # ZPixmap at depth 24 is 4 bytes a pixel, blue first; the fourth byte is padding.
    return name, (int(x), int(y), int(w), int(h)), bytes((b, g, r)), int(least)


def main():
    watched = [parse(a) for a in sys.argv[1:]]
    root = display.Display().screen().root
    seen = {name: False for name, *_ in watched}
    print('ready', round(time.time() * 1000), flush=True)
    while True:
        for name, (x, y, w, h), pixel, least in watched:
            data = root.get_image(x, y, w, h, X.ZPixmap, 0xFFFFFFFF).data
            at = round(time.time() * 1000)
            on = data.count(pixel) >= least
            if on != seen[name]:
                seen[name] = on
                print(name, 'on' if on else 'off', at, flush=True)
        time.sleep(POLL_SECONDS)


if __name__ == '__main__':
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError):
        pass
