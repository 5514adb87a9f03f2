#!/usr/bin/python3
"""A window manager's part in the window tests, on the test's X display.

WebDriver reaches only what is inside the webview, not the window's close button; under Xvfb
there is no window manager, so this sends the close request one sends (WM_DELETE_WINDOW:
the toolkit decides what closing means, as on a desktop; xdotool's windowclose would destroy
the window instead).

  x11.py windows             print the mapped top-level windows as JSON: [{id, name, pid}]
  x11.py close ID            ask window ID to close, as a close button does

Needs python3-xlib (scripts/lib.sh installs it).
"""

import json
import sys

from Xlib import X, display, protocol


def windows(d):
    root = d.screen().root
    net_name = d.intern_atom("_NET_WM_NAME")
    net_pid = d.intern_atom("_NET_WM_PID")
    utf8 = d.intern_atom("UTF8_STRING")
    found = []
    for w in root.query_tree().children:
        try:
            if w.get_attributes().map_state != X.IsViewable:
                continue
            name = w.get_full_property(net_name, utf8)
            name = name.value.decode() if name else (w.get_wm_name() or "")
            pid = w.get_full_property(net_pid, X.AnyPropertyType)
            found.append({"id": w.id, "name": str(name), "pid": int(pid.value[0]) if pid else None})
        except Exception:  # a window that went away while we looked
            continue
    return found


def close(d, wid):
    window = d.create_resource_object("window", wid)
    protocols = d.intern_atom("WM_PROTOCOLS")
    event = protocol.event.ClientMessage(
        window=window,
        client_type=protocols,
        data=(32, [d.intern_atom("WM_DELETE_WINDOW"), X.CurrentTime, 0, 0, 0]),
    )
    window.send_event(event, event_mask=X.NoEventMask)
    d.flush()


def main(argv):
    d = display.Display()
    if argv[1:] == ["windows"]:
        print(json.dumps(windows(d)))
    elif len(argv) == 3 and argv[1] == "close":
        close(d, int(argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
