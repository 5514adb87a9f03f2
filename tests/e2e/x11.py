#!/usr/bin/python3
"""What a user does to the app's windows outside the web page, on the test's X display.

WebDriver reaches only what is inside the webview; a window manager's close button and the
system's file dialogs are outside it. Under Xvfb there is no window manager, so this does
their part: it sends the close request a window manager sends, and types into a dialog
through XTEST, the X server's own input injection (events as from a keyboard, not synthetic
ones a toolkit may ignore).

  x11.py windows             print the mapped top-level windows as JSON: [{id, name, pid}]
  x11.py close ID            ask window ID to close (WM_DELETE_WINDOW), as a close button does
  x11.py type ID TEXT        focus window ID, select all (Ctrl+A), type TEXT and press Return

Needs python3-xlib (scripts/lib.sh installs it).
"""

import json
import sys

from Xlib import X, XK, display, protocol
from Xlib.ext import xtest


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


def type_text(d, wid, text):
    window = d.create_resource_object("window", wid)
    window.set_input_focus(X.RevertToParent, X.CurrentTime)
    # The server queues the toolkit's FocusIn ahead of the keys below, so no waiting is needed.
    d.sync()
    shift = d.keysym_to_keycode(XK.XK_Shift_L)
    control = d.keysym_to_keycode(XK.XK_Control_L)
    # Replace all of what the field holds (a save dialog selects only the name before the
    # extension, so typing alone would keep ".txt").
    select_all = d.keysym_to_keycode(XK.XK_a)
    for kind, code in ((X.KeyPress, control), (X.KeyPress, select_all), (X.KeyRelease, select_all), (X.KeyRelease, control)):
        xtest.fake_input(d, kind, code)
    for ch in list(text) + ["\n"]:
        keysym = XK.XK_Return if ch == "\n" else ord(ch)  # Latin-1 keysyms are the code points
        codes = list(d.keysym_to_keycodes(keysym))
        if not codes:
            sys.exit(f"no key on this keyboard types {ch!r}")
        code, index = min(codes, key=lambda c: c[1])
        if index == 1:
            xtest.fake_input(d, X.KeyPress, shift)
        xtest.fake_input(d, X.KeyPress, code)
        xtest.fake_input(d, X.KeyRelease, code)
        if index == 1:
            xtest.fake_input(d, X.KeyRelease, shift)
    d.sync()


def main(argv):
    d = display.Display()
    if argv[1:] == ["windows"]:
        print(json.dumps(windows(d)))
    elif len(argv) == 3 and argv[1] == "close":
        close(d, int(argv[2]))
    elif len(argv) == 4 and argv[1] == "type":
        type_text(d, int(argv[2]), argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
