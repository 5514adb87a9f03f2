#!/usr/bin/python3
"""A stand-in desktop for the window tests, on the test's private session bus.

It plays the two parts of a desktop the app talks to over D-Bus:

- the notification daemon (org.freedesktop.Notifications): it keeps every notification it is
  asked to show, and on request "clicks" one (the ActionInvoked signal a real daemon sends);
- the tray host (org.kde.StatusNotifierWatcher): it takes the app's StatusNotifierItem
  registration, and on request reads the item back the way a panel would: its menu (over
  com.canonical.dbusmenu) and its icon file, down to the colour of the state dot.

  fake-desktop.py serve READY_FILE   run until killed; READY_FILE is written once both names are owned
  fake-desktop.py shown              print the notifications shown so far, as JSON
  fake-desktop.py click ID           click notification ID (its default action)
  fake-desktop.py tray               print the registered tray item as JSON (null if none)

Needs python3-dbus and python3-gi (scripts/lib.sh installs them).
"""

import json
import struct
import sys
import zlib

import dbus
import dbus.service

NOTIFICATIONS = "org.freedesktop.Notifications"
WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
CONTROL = "dev.thanksconnect.FakeDesktop"
PROPS = "org.freedesktop.DBus.Properties"


class Notifications(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/org/freedesktop/Notifications")
        self.shown = []

    @dbus.service.method(NOTIFICATIONS, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, timeout):
        nid = len(self.shown) + 1
        self.shown.append({
            "id": nid,
            "app_name": str(app_name),
            "summary": str(summary),
            "body": str(body),
            "actions": [str(a) for a in actions],
            "desktop_entry": str(hints.get("desktop-entry", "")),
        })
        return dbus.UInt32(nid)

    @dbus.service.method(NOTIFICATIONS, out_signature="as")
    def GetCapabilities(self):
        return ["actions", "body"]

    @dbus.service.method(NOTIFICATIONS, out_signature="ssss")
    def GetServerInformation(self):
        return ("fake-desktop", "Thanks Connect tests", "1", "1.2")

    @dbus.service.method(NOTIFICATIONS, in_signature="u")
    def CloseNotification(self, nid):
        self.NotificationClosed(nid, dbus.UInt32(3))

    @dbus.service.signal(NOTIFICATIONS, signature="us")
    def ActionInvoked(self, nid, action):
        pass

    @dbus.service.signal(NOTIFICATIONS, signature="uu")
    def NotificationClosed(self, nid, reason):
        pass

    @dbus.service.method(CONTROL, out_signature="s")
    def Shown(self):
        return json.dumps(self.shown)

    @dbus.service.method(CONTROL, in_signature="u")
    def Click(self, nid):
        # What a daemon does on a click on the body: the default action, then it closes.
        self.ActionInvoked(dbus.UInt32(nid), "default")
        self.NotificationClosed(dbus.UInt32(nid), dbus.UInt32(2))


class Watcher(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/StatusNotifierWatcher")
        self.bus = bus
        self.items = []

    @dbus.service.method(WATCHER, in_signature="s", sender_keyword="sender")
    def RegisterStatusNotifierItem(self, service, sender=None):
        # An item names itself by bus name or, as libayatana-appindicator does, by object path.
        bus_name, path = (sender, str(service)) if str(service).startswith("/") else (str(service), "/StatusNotifierItem")
        self.items.append((bus_name, path))
        self.StatusNotifierItemRegistered(f"{bus_name}{path}")

    @dbus.service.method(WATCHER, in_signature="s")
    def RegisterStatusNotifierHost(self, service):
        pass

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierItemRegistered(self, item):
        pass

    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        return self.GetAll(interface)[name]

    @dbus.service.method(PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return {
            "RegisteredStatusNotifierItems": dbus.Array([f"{b}{p}" for b, p in self.items], signature="s"),
            "IsStatusNotifierHostRegistered": True,
            "ProtocolVersion": dbus.Int32(0),
        }

    @dbus.service.method(CONTROL, out_signature="s")
    def Tray(self):
        if not self.items:
            return "null"
        bus_name, path = self.items[-1]
        item = self.bus.get_object(bus_name, path)
        props = item.GetAll(ITEM, dbus_interface=PROPS)
        labels = []
        menu_path = props.get("Menu")
        if menu_path:
            menu = self.bus.get_object(bus_name, menu_path)
            _, layout = menu.GetLayout(0, -1, dbus.Array([], signature="s"), dbus_interface="com.canonical.dbusmenu")
            labels = [str(child[1].get("label", "")) for child in layout[2]]
        icon = str(props.get("IconName", ""))
        if icon and not icon.startswith("/"):
            icon = f"{props.get('IconThemePath', '')}/{icon}.png"
        return json.dumps({
            "status": str(props.get("Status", "")),
            "menu": labels,
            "icon_file": icon,
            "dot": dot_colour(icon) if icon else None,
        })


def dot_colour(path):
    """The colour, as #rrggbb, where the app draws its state dot: 1/6 of the size in from the
    lower right corner."""
    try:
        width, height, pixel = read_png(path)
    except (OSError, ValueError):
        return None
    r, g, b = pixel(width - width // 6 - 1, height - height // 6 - 1)[:3]
    return f"#{r:02x}{g:02x}{b:02x}"


def read_png(path):
    """A minimal PNG reader (8-bit RGB or RGBA, not interlaced): enough for tray icons."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("unsupported PNG layout")
    bpp = 4 if colour == 6 else 3
    raw, stride, rows, prev, i = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for c in range(stride):
            a = line[c - bpp] if c >= bpp else 0
            b, d = prev[c], (prev[c - bpp] if c >= bpp else 0)
            if kind == 1:
                line[c] = (line[c] + a) & 255
            elif kind == 2:
                line[c] = (line[c] + b) & 255
            elif kind == 3:
                line[c] = (line[c] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - d
                pa, pb, pd = abs(p - a), abs(p - b), abs(p - d)
                line[c] = (line[c] + (a if pa <= pb and pa <= pd else b if pb <= pd else d)) & 255
        rows.append(line)
        prev = line
    return width, height, lambda x, y: list(rows[y][x * bpp:(x + 1) * bpp])


def serve(ready_file):
    from dbus.mainloop.glib import DBusGMainLoop
    from gi.repository import GLib

    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    keep = [
        dbus.service.BusName(NOTIFICATIONS, bus, do_not_queue=True),
        dbus.service.BusName(WATCHER, bus, do_not_queue=True),
        Notifications(bus),
        Watcher(bus),
    ]
    with open(ready_file, "w") as f:
        f.write("ready\n")
    GLib.MainLoop().run()
    return keep


def control(method, *args, path):
    bus = dbus.SessionBus()
    target = bus.get_object(NOTIFICATIONS if path.startswith("/org") else WATCHER, path)
    return getattr(target, method)(*args, dbus_interface=CONTROL)


def main(argv):
    if len(argv) == 3 and argv[1] == "serve":
        serve(argv[2])
    elif argv[1:] == ["shown"]:
        print(control("Shown", path="/org/freedesktop/Notifications"))
    elif len(argv) == 3 and argv[1] == "click":
        control("Click", dbus.UInt32(int(argv[2])), path="/org/freedesktop/Notifications")
    elif argv[1:] == ["tray"]:
        print(control("Tray", path="/StatusNotifierWatcher"))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
