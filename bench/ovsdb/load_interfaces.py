#!/usr/bin/env python3
"""Loads N Interface rows, one Port per Interface and one Bridge per BATCH ports (all referenced from
the Open_vSwitch row) into an OVSDB server over a unix socket, in transactions of BATCH ports, as
OpenStack/OVN hosts have them (external_ids iface-id, attached-mac, iface-status).

usage: load_interfaces.py SOCKET [N=10000] [BATCH=500]
Works against jvswitch and Debian's ovsdb-server alike (the Open_vSwitch row must exist:
ovs-vsctl --no-wait init)."""
import json
import socket
import sys
import uuid

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 500
sock = socket.socket(socket.AF_UNIX)
sock.connect(path)
dec = json.JSONDecoder()
buf = ""
next_id = 0


def call(method, params):
    global buf, next_id
    next_id += 1
    sock.sendall(json.dumps({"id": next_id, "method": method, "params": params}).encode())
    while True:
        buf = buf.lstrip()
        try:
            msg, end = dec.raw_decode(buf)
        except ValueError:
            data = sock.recv(1 << 20)
            if not data:
                raise SystemExit("server closed the connection")
            buf += data.decode()
            continue
        buf = buf[end:]
        if msg.get("method") == "echo":
            sock.sendall(json.dumps({"id": msg["id"], "result": msg["params"], "error": None}).encode())
        elif msg.get("id") == next_id:
            if msg.get("error") is not None:
                raise SystemExit(f"{method} failed: {msg['error']}")
            return msg["result"]


for b in range(0, n, batch):
    ops = []
    ports = []
    for i in range(b, min(n, b + batch)):
        mac = "fa:16:3e:%02x:%02x:%02x" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)
        ops.append({"op": "insert", "table": "Interface", "uuid-name": f"i{i}",
                    "row": {"name": f"tap{i:05d}", "type": "",
                            "external_ids": ["map", [["iface-id", str(uuid.UUID(int=i + 1))],
                                                     ["attached-mac", mac], ["iface-status", "active"]]]}})
        ops.append({"op": "insert", "table": "Port", "uuid-name": f"p{i}",
                    "row": {"name": f"tap{i:05d}", "interfaces": ["named-uuid", f"i{i}"], "tag": 1 + i % 4094}})
        ports.append(["named-uuid", f"p{i}"])
    ops.append({"op": "insert", "table": "Bridge", "uuid-name": "br",
                "row": {"name": f"br{b // batch}", "ports": ["set", ports], "datapath_type": "netdev"}})
    ops.append({"op": "mutate", "table": "Open_vSwitch", "where": [],
                "mutations": [["bridges", "insert", ["set", [["named-uuid", "br"]]]]]})
    result = call("transact", ["Open_vSwitch"] + ops)
    errors = [r for r in result if r is None or "error" in r]
    if errors:
        raise SystemExit(f"transaction failed: {errors[:2]}")
count = call("transact", ["Open_vSwitch", {"op": "select", "table": "Interface", "where": [], "columns": ["name"]}])
print(f"loaded interfaces={len(count[0]['rows'])}")
