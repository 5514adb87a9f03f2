#!/usr/bin/python3
"""A tray host for the window tests, on the test's private session bus.

No panel that hosts StatusNotifierItems runs headless under Xvfb, so this plays the panel's
part (org.kde.StatusNotifierWatcher): it takes the app's StatusNotifierItem registration, and
on request reads the item back the way a panel would, its menu (over com.canonical.dbusmenu)
and its icon file down to the colour of the state dot, or clicks one of its menu entries.
(Notifications go to a real daemon, dunst: tests/e2e/support.mjs.)

  tray-host.py serve READY_FILE   run until killed; READY_FILE is written once the name is owned
  tray-host.py tray               print the registered tray item as JSON (null if none)
  tray-host.py menu LABEL         click the tray menu's entry LABEL, as a panel does

Needs python3-dbus and python3-gi (scripts/lib.sh installs them).
"""

import json
import struct
import sys
import zlib

import dbus
import dbus.service

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
CONTROL = "dev.thanksconnect.TrayHost"
PROPS = "org.freedesktop.DBus.Properties"
DBUSMENU = "com.canonical.dbusmenu"


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

    def menu(self):
        """The item's bus name, and its top-level menu entries as (id, label)."""
        bus_name, path = self.items[-1]
        props = self.bus.get_object(bus_name, path).GetAll(ITEM, dbus_interface=PROPS)
        entries = []
        if props.get("Menu"):
            menu = self.bus.get_object(bus_name, props["Menu"])
            _, layout = menu.GetLayout(0, -1, dbus.Array([], signature="s"), dbus_interface=DBUSMENU)
            entries = [(int(child[0]), str(child[1].get("label", ""))) for child in layout[2]]
        return props, entries

    @dbus.service.method(CONTROL, out_signature="s")
    def Tray(self):
        if not self.items:
            return "null"
        props, entries = self.menu()
        icon = str(props.get("IconName", ""))
        if icon and not icon.startswith("/"):
            icon = f"{props.get('IconThemePath', '')}/{icon}.png"
        return json.dumps({
            "status": str(props.get("Status", "")),
            "menu": [label for _, label in entries],
            "icon_file": icon,
            "dot": dot_colour(icon) if icon else None,
        })

    @dbus.service.method(CONTROL, in_signature="s")
    def MenuClick(self, label):
        # What a panel sends when an entry of the item's menu is clicked.
        props, entries = self.menu()
        ids = [i for i, text in entries if text == label]
        if not ids:
            raise ValueError(f"no menu entry {label!r} in {[text for _, text in entries]}")
        bus_name, _ = self.items[-1]
        menu = self.bus.get_object(bus_name, props["Menu"])
        menu.Event(dbus.Int32(ids[0]), "clicked", dbus.Int32(0, variant_level=1), dbus.UInt32(0), dbus_interface=DBUSMENU)


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
        dbus.service.BusName(WATCHER, bus, do_not_queue=True),
        Watcher(bus),
    ]
    with open(ready_file, "w") as f:
        f.write("ready\n")
    GLib.MainLoop().run()
    return keep


def control(method, *args):
    target = dbus.SessionBus().get_object(WATCHER, "/StatusNotifierWatcher")
    return getattr(target, method)(*args, dbus_interface=CONTROL)


def main(argv):
    if len(argv) == 3 and argv[1] == "serve":
        serve(argv[2])
    elif argv[1:] == ["tray"]:
        print(control("Tray"))
    elif len(argv) == 3 and argv[1] == "menu":
        control("MenuClick", argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
