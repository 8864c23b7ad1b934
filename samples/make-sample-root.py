#!/usr/bin/env python3
"""Writes samples/docker-root: a small overlay2 docker root with real, computed IDs.

Every diff ID is the sha256 of a real tar stream (Go archive/tar layout: 512-byte headers, payload
padded to 512, 1024 zero bytes at the end), every chain ID follows the image-spec rule, and every
tar-split.json.gz reproduces its tar. One layer is broken on purpose (its size file ends in a newline,
as 'echo 42 > size' writes), so the check shows moby's silent cascade.

Run from the repository root: python3 samples/make-sample-root.py  (deterministic: same bytes each run)
"""
import base64, gzip, hashlib, io, json, os, shutil, tarfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "docker-root")
MTIME = 1700000000

def crc64_iso(data):
    poly = 0xD800000000000000
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    crc = 0xFFFFFFFFFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFFFFFFFFFF

assert crc64_iso(b"hello\n") == 0x614c3eeee2d81000

def header(name, size, is_dir):
    ti = tarfile.TarInfo(name)
    ti.size = 0 if is_dir else size
    ti.type = tarfile.DIRTYPE if is_dir else tarfile.REGTYPE
    ti.mode = 0o755 if is_dir else 0o644
    ti.mtime = MTIME
    ti.uname = ti.gname = ""
    return ti.tobuf(format=tarfile.USTAR_FORMAT)

def layer_tar(files):
    """files: list of (path, bytes or None for a directory). Returns (tar bytes, tar-split lines)."""
    tar = bytearray()
    entries = []
    pending = b""
    pos = 0
    for path, content in files:
        is_dir = content is None
        h = header(path, 0 if is_dir else len(content), is_dir)
        seg = pending + h
        entries.append({"type": 2, "payload": base64.b64encode(seg).decode(), "position": pos}); pos += 1
        tar += h
        entry = {"type": 1, "name": path}
        if not is_dir and len(content) > 0:
            entry["size"] = len(content)
            entry["payload"] = base64.b64encode(crc64_iso(content).to_bytes(8, "big")).decode()
        else:
            entry["payload"] = None
        entry["position"] = pos; pos += 1
        entries.append(entry)
        if not is_dir:
            tar += content
            pad = (512 - len(content) % 512) % 512
            pending = b"\0" * pad
            tar += pending
        else:
            pending = b""
    end = b"\0" * 1024
    tar += end
    entries.append({"type": 2, "payload": base64.b64encode(pending + end).decode(), "position": pos}); pos += 1
    entries.append({"type": 2, "payload": "", "position": pos})
    lines = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in entries)
    return bytes(tar), lines

def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()

def hexid(seed):
    return hashlib.sha256(("layerfunctional-sample:" + seed).encode()).hexdigest()

def link_name(seed):
    return base64.b32encode(hashlib.sha256(("link:" + seed).encode()).digest()).decode()[:26]

def write(rel, data, mode=0o644):
    p = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(p, mode)

def gz(text):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as g:
        g.write(text.encode())
    return buf.getvalue()

LAYERS = [
    # label, parent label, files
    ("base", None, [("bin/", None), ("bin/sh", b"#!/bin/busybox sh\n"), ("etc/", None), ("etc/os-release", b"NAME=\"Sample Linux\"\nVERSION_ID=1.0\n")]),
    ("web-app", "base", [("srv/", None), ("srv/index.html", b"<h1>hello from the sample root</h1>\n")]),
    ("web-config", "web-app", [("etc/", None), ("etc/web.conf", b"listen 8080\nroot /srv\n")]),
    ("tool-bin", "base", [("usr/", None), ("usr/bin/", None), ("usr/bin/tool", b"#!/bin/sh\necho tool\n")]),
    ("tool-data", "tool-bin", [("var/", None), ("var/lib/", None), ("var/lib/tool.db", b"tool-data v1\n")]),
]
BROKEN_SIZE = "tool-bin"   # its size file gets a trailing newline: moby cannot parse it

def container_config(cid, name, image):
    """config.v2.json as dockerd 20.10 writes it for a created, never started container (moby's restore needs Config and State)."""
    zero = "0001-01-01T00:00:00Z"
    return {
        "StreamConfig": {},
        "State": {"Running": False, "Paused": False, "Restarting": False, "OOMKilled": False, "RemovalInProgress": False, "Dead": False,
                  "Pid": 0, "ExitCode": 0, "Error": "", "StartedAt": zero, "FinishedAt": zero, "Health": None},
        "ID": cid, "Created": "2023-11-14T22:13:20Z", "Managed": False, "Path": "/bin/sh", "Args": [],
        "Config": {"Hostname": cid[:12], "Domainname": "", "User": "", "AttachStdin": False, "AttachStdout": True, "AttachStderr": True,
                   "Tty": False, "OpenStdin": False, "StdinOnce": False, "Env": None, "Cmd": ["/bin/sh"], "Image": image, "Volumes": None,
                   "WorkingDir": "", "Entrypoint": None, "OnBuild": None, "Labels": {}},
        "Image": image,
        "NetworkSettings": {"Bridge": "", "SandboxID": "", "HairpinMode": False, "LinkLocalIPv6Address": "", "LinkLocalIPv6PrefixLen": 0,
                            "Networks": {}, "Service": None, "Ports": None, "SandboxKey": "", "SecondaryIPAddresses": None,
                            "SecondaryIPv6Addresses": None, "IsAnonymousEndpoint": False, "HasSwarmEndpoint": False},
        "LogPath": "", "Name": "/" + name, "Driver": "overlay2", "OS": "linux", "MountLabel": "", "ProcessLabel": "", "RestartCount": 0,
        "HasBeenStartedBefore": False, "HasBeenManuallyStopped": False, "MountPoints": {}, "SecretReferences": None, "ConfigReferences": None,
        "AppArmorProfile": "", "HostnamePath": "", "HostsPath": "", "ShmPath": "", "ResolvConfPath": "", "SeccompProfile": "",
        "NoNewPrivileges": False, "LocalLogCacheMeta": {"HaveNotifyEnabled": False},
    }

HOST_CONFIG = {"Binds": None, "ContainerIDFile": "", "LogConfig": {"Type": "json-file", "Config": {}}, "NetworkMode": "none",
               "PortBindings": {}, "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}, "AutoRemove": False, "VolumeDriver": "",
               "VolumesFrom": None, "Dns": [], "DnsOptions": [], "DnsSearch": [], "IpcMode": "private", "ShmSize": 67108864, "Runtime": "runc"}

def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    db = "image/overlay2/layerdb"
    chain, info = {}, {}
    for label, parent, files in LAYERS:
        tar, split = layer_tar(files)
        diff = sha(tar)
        cid = diff if parent is None else sha((chain[parent] + " " + diff).encode())
        chain[label] = cid
        cache = hexid("cache:" + label)
        size = sum(len(c) for _, c in files if c is not None)
        info[label] = (cid, diff, cache, size)
        folder = f"{db}/sha256/{cid[7:]}"
        write(folder + "/diff", diff)
        write(folder + "/size", str(size) + ("\n" if label == BROKEN_SIZE else ""))
        write(folder + "/cache-id", cache)
        if parent:
            write(folder + "/parent", chain[parent])
        write(folder + "/tar-split.json.gz", gz(split))
        # overlay2: <cache-id>/diff, link, lower; l/<link> -> ../<cache-id>/diff
        for path, content in files:
            if content is not None:
                write(f"overlay2/{cache}/diff/{path}", content)
        write(f"overlay2/{cache}/link", link_name(label))
        lowers = []
        p = parent
        while p:
            lowers.append("l/" + link_name(p))
            p = next(pp for l, pp, _ in LAYERS if l == p)
        if lowers:
            write(f"overlay2/{cache}/lower", ":".join(lowers))
        os.makedirs(os.path.join(OUT, "overlay2/l"), exist_ok=True)
        os.symlink(f"../{cache}/diff", os.path.join(OUT, "overlay2/l", link_name(label)))

    images = {"web": "web-config", "tool": "tool-data"}
    image_ids = {}
    for name, top in images.items():
        diffs, l = [], top
        while l:
            diffs.insert(0, info[l][1])
            l = next(pp for ll, pp, _ in LAYERS if ll == l)
        config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]},
                             "rootfs": {"type": "layers", "diff_ids": diffs}}, separators=(",", ":"))
        iid = sha(config.encode())
        image_ids[name] = iid
        write(f"image/overlay2/imagedb/content/sha256/{iid[7:]}", config)
    write("image/overlay2/repositories.json", json.dumps(
        {"Repositories": {f"sample/{n}": {f"sample/{n}:latest": image_ids[n]} for n in sorted(images)}}, separators=(",", ":"), sort_keys=True))

    containers = [("web-1", "web", "web-config"), ("tool-1", "tool", "tool-data")]
    for cname, image, top in containers:
        cid = hexid("container:" + cname)
        mount = hexid("mount:" + cname)
        folder = f"{db}/mounts/{cid}"
        write(folder + "/mount-id", mount)
        write(folder + "/init-id", mount + "-init")
        write(folder + "/parent", info[top][0])
        write(f"overlay2/{mount}-init/diff/.dockerenv", b"")
        write(f"overlay2/{mount}-init/diff/etc/hostname", b"")
        write(f"overlay2/{mount}-init/link", link_name("init:" + cname))
        top_lowers, l = [], top
        while l:
            top_lowers.append("l/" + link_name(l))
            l = next(pp for ll, pp, _ in LAYERS if ll == l)
        write(f"overlay2/{mount}-init/lower", ":".join(top_lowers))
        os.symlink(f"../{mount}-init/diff", os.path.join(OUT, "overlay2/l", link_name("init:" + cname)))
        write(f"overlay2/{mount}/diff/tmp/scratch.txt", f"written by {cname}\n")
        write(f"overlay2/{mount}/link", link_name("rw:" + cname))
        write(f"overlay2/{mount}/lower", ":".join(["l/" + link_name("init:" + cname)] + top_lowers))
        os.symlink(f"../{mount}/diff", os.path.join(OUT, "overlay2/l", link_name("rw:" + cname)))
        write(f"containers/{cid}/config.v2.json", json.dumps(container_config(cid, cname, image_ids[image]), separators=(",", ":")))
        write(f"containers/{cid}/hostconfig.json", json.dumps(HOST_CONFIG, separators=(",", ":")))
    for label, (cid, diff, cache, size) in info.items():
        print(f"{label:11} chain {cid}  diff {diff}  cache {cache}  size {size}")

if __name__ == "__main__":
    main()
