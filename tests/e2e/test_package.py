#!/usr/bin/env python3
"""The Debian package installs and its units start (docs/operations.md "Install").

1. scripts/package builds openssgw_*.deb; dpkg-deb shows its control fields (Depends from
   dpkg-shlibdeps, the maintainer scripts, conffiles, the ldconfig trigger) and its files
   (binaries, libssgw, man pages, units, sysusers, logrotate, docs, examples).
2. Overlay mode (always; needs a mount namespace): the real dpkg installs it on this machine
   seen through a private overlay of /etc, /usr, /var and /run, so nothing of the host changes.
   Then: postinst made the users ssgw and tsca; `ssgw --version` and `tsca --version` run from
   /usr/bin and print the package's version; `systemd-analyze verify` passes the units (their
   commands and man pages resolved in the installed tree); the gateway unit is started as
   systemd would start it: ExecStartPre and ExecStart of /lib/systemd/system/ssgw@.service
   with %i, as its User, with its RuntimeDirectory/StateDirectory/LogsDirectory, and a
   NOTIFY_SOCKET: it reports READY=1, takes an association and writes events in
   /var/log/ssgw/INSTANCE, ExecReload gives RELOADING=1 then READY=1, SIGTERM gives STOPPING=1
   and exit 0; tsca-serve.service's ExecStart answers HTTP; dpkg -r and -P remove it.
3. Debian 12 mode (--debian12, ctest e2e.package_debian12): the same in a fresh Debian 12
   root made by debootstrap from the configured mirror: `apt-get install ./openssgw.deb`
   pulls the dependencies, `ssgw --version` runs inside it, the unit's command starts the
   gateway there as the user ssgw and it reports READY=1. Reports itself skipped (77) when
   debootstrap or the mirror cannot be reached.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import gwtest
from gwtest import Asp, check, free_port, pcap_frames, records, status, summary

INSTANCE = "pkgtest"


def run(args, **kw):
    kw.setdefault("timeout", 600)
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def unit_service(path, instance):
    """The [Service] settings of a unit file, %i replaced: {key: [values]}."""
    out, section = {}, None
    for line in open(path):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]" and "=" in line:
            k, v = line.split("=", 1)
            out.setdefault(k, []).append(v.replace("%i", instance))
    return out


def expand(cmd, env):
    """ExecStart= words with ${VAR} / $VAR from env (systemd.service(5) "Command lines")."""
    words = []
    for w in shlex.split(cmd):
        m = re.fullmatch(r"\$\{(\w+)\}|\$(\w+)", w)
        words.append(env.get(m.group(1) or m.group(2), "") if m else w)
    return words


class Notify:
    """A NOTIFY_SOCKET like systemd's: collects the sd_notify datagrams."""

    def __init__(self, path):
        self.path = path
        if os.path.exists(path):
            os.unlink(path)
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.s.bind(path)
        os.chmod(path, 0o777)
        self.got = []

    def wait(self, what, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            self.s.settimeout(max(0.01, end - time.time()))
            try:
                d = self.s.recv(4096).decode()
            except socket.timeout:
                break
            self.got.append(d)
            if what in d.split("\n"):
                return True
        return False


class System:
    """The system the package was installed in: this machine (root "/", seen through the
    overlay) or a chroot. Paths are given as that system sees them; commands run in it."""

    def __init__(self, root="/"):
        self.root = root

    def path(self, p):
        return p if self.root == "/" else os.path.join(self.root, p.lstrip("/"))

    def cmd(self, c):
        return c if self.root == "/" else ["chroot", self.root] + c

    def ids(self, user):
        return tuple(int(run(self.cmd(["id", opt, user])).stdout) for opt in ("-u", "-g"))


def as_user(user, cmd):
    return ["setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"] + cmd


def prepare_dirs(sys_, svc, user):
    """What systemd does for RuntimeDirectory=, StateDirectory=, LogsDirectory=."""
    uid, gid = sys_.ids(user)
    for key, base in (("RuntimeDirectory", "/run"), ("StateDirectory", "/var/lib"),
                      ("LogsDirectory", "/var/log")):
        for d in svc.get(key, []):
            path = sys_.path(os.path.join(base, d))
            os.makedirs(path, exist_ok=True)
            os.chown(path, uid, gid)


def instance_config(sys_, ports):
    """The installed example instance, on loopback over TCP, with the example policy."""
    docdir = sys_.path("/usr/share/doc/openssgw")
    text = open(os.path.join(docdir, "examples", "deploy", "albion.toml")).read()
    text = text.replace("albion", INSTANCE)
    text = text.replace('transport = "sctp"', 'transport = "tcp"')
    text = text.replace('listen = "192.0.2.10:2905"', 'listen = "127.0.0.1:%d"' % ports[0])
    text = text.replace('role = "asp"', 'role = "sg"')
    text = text.replace('connect = "198.51.100.5:2905"', 'listen = "127.0.0.1:%d"' % ports[1])
    os.makedirs(sys_.path("/etc/ssgw"), exist_ok=True)
    with open(sys_.path("/etc/ssgw/%s.toml" % INSTANCE), "w") as f:
        f.write(text)
    shutil.copy(os.path.join(docdir, "examples", "ssgw.conf"),
                sys_.path("/etc/ssgw/%s.conf" % INSTANCE))


def start_gateway_unit(sys_, attack_frames):
    """Runs ssgw@INSTANCE's commands in sys_ as systemd would; returns what happened."""
    res = {}
    svc = unit_service(sys_.path("/lib/systemd/system/ssgw@.service"), INSTANCE)
    user = svc["User"][0]
    ports = (free_port(), free_port())
    instance_config(sys_, ports)
    prepare_dirs(sys_, svc, user)
    res["type"] = svc.get("Type", [""])[0]
    pre = run(sys_.cmd(as_user(user, expand(svc["ExecStartPre"][0], {}))))
    res["pre"] = (pre.returncode, (pre.stdout + pre.stderr)[-600:])
    notify = Notify(sys_.path("/run/ssgw-test-notify.sock"))
    env = dict(os.environ, NOTIFY_SOCKET="/run/ssgw-test-notify.sock")
    logpath = sys_.path("/run/ssgw-test-gw.log")
    log = open(logpath, "w")
    # chroot(8) and setpriv(1) exec the next program: g.pid is the gateway's, $MAINPID
    g = subprocess.Popen(sys_.cmd(as_user(user, expand(svc["ExecStart"][0], {}))),
                         stdout=log, stderr=subprocess.STDOUT, env=env)
    res["ready"] = notify.wait("READY=1")
    sock = sys_.path("/run/ssgw/%s/status.sock" % INSTANCE)
    try:
        st = status(sock)
        res["links"] = [l["name"] for l in st["links"]]
        outer, inner = Asp(ports[0], 10), Asp(ports[1], 20)  # both sides up: routes exist
        for m in attack_frames:
            outer.send_raw(m)
        end = time.time() + 15
        while time.time() < end and status(sock)["counters"]["data_in"] < len(attack_frames):
            time.sleep(0.05)
        res["data_in"] = status(sock)["counters"]["data_in"]
        reload_cmd = expand(svc["ExecReload"][0].replace("$MAINPID", str(g.pid)), {})
        run(sys_.cmd(reload_cmd))
        res["reloading"] = notify.wait("RELOADING=1")
        res["reloaded"] = notify.wait("READY=1")
        outer.s.close()
        inner.s.close()
    except (OSError, KeyError, ValueError) as e:
        res["error"] = repr(e)
    g.send_signal(signal.SIGTERM)
    res["stopping"] = notify.wait("STOPPING=1")
    try:
        res["rc"] = g.wait(timeout=20)
    except subprocess.TimeoutExpired:
        g.kill()
        res["rc"] = None
    log.close()
    res["log"] = open(logpath).read()[-1500:]
    ev = sys_.path("/var/log/ssgw/%s/events.jsonl" % INSTANCE)
    res["events"] = len(records(ev)) if os.path.exists(ev) else -1
    res["events_owner"] = os.stat(ev).st_uid == sys_.ids(user)[0] if os.path.exists(ev) else False
    res["report"] = os.path.exists(sys_.path("/var/log/ssgw/%s/report.html" % INSTANCE))
    res["notify"] = notify.got
    return res


def start_tsca_unit(sys_):
    svc = unit_service(sys_.path("/lib/systemd/system/tsca-serve.service"), "")
    env = {}
    for e in svc.get("Environment", []):
        k, v = e.split("=", 1)
        env[k] = v
    port = free_port()
    env["TSCA_SERVE_LISTEN"] = "127.0.0.1:%d" % port  # as /etc/default/tsca-serve would
    p = subprocess.Popen(sys_.cmd(as_user(svc["User"][0], expand(svc["ExecStart"][0], env))),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    code = None
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/bundle" % port, timeout=5)
    except urllib.error.HTTPError as e:
        code = e.code  # no bundle published yet: 503
    except OSError as e:
        code = repr(e)
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    return {"listening": line.strip(), "http": code, "rc": rc, "stderr": p.stderr.read()[-500:]}


# ---- 2. overlay mode (runs inside `unshare --mount`) ----------------------------------------

def overlay_child(a):
    work = os.path.abspath(a.workdir)
    up = os.path.join(work, "overlay")
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", up], check=True)
    for d in ("etc", "usr", "var", "run"):
        os.makedirs(os.path.join(up, d, "u"))
        os.makedirs(os.path.join(up, d, "w"))
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                        "lowerdir=/%s,upperdir=%s/%s/u,workdir=%s/%s/w" % (d, up, d, up, d),
                        "/" + d], check=True)
    res = {}
    p = run(["dpkg", "-i", a.deb])
    res["dpkg_i"] = (p.returncode, (p.stdout + p.stderr)[-1500:])
    res["status"] = run(["dpkg-query", "-W", "-f=${Status} ${Version}", "openssgw"]).stdout
    res["users"] = {u: run(["getent", "passwd", u]).stdout.strip() for u in ("ssgw", "tsca")}
    res["ssgw_version"] = run(["/usr/bin/ssgw", "--version"]).stdout.strip()
    res["tsca_version"] = run(["/usr/bin/tsca", "--version"]).stdout.strip()
    p = run(["man", "-w", "ssgw-gateway.toml"])
    res["man"] = p.stdout.strip()
    p = run(["systemd-analyze", "verify", "ssgw@%s.service" % INSTANCE, "tsca-serve.service"])
    res["verify"] = (p.returncode, (p.stdout + p.stderr).strip())
    p = run(["systemd-analyze", "verify", "/lib/systemd/system/ssgw@.service"])
    res["verify_template"] = (p.returncode, (p.stdout + p.stderr).strip())
    frames = json.load(open(a.frames))
    res["gateway"] = start_gateway_unit(System(), [bytes.fromhex(f) for f in frames])
    res["tsca"] = start_tsca_unit(System())
    p = run(["dpkg", "-r", "openssgw"])
    res["dpkg_r"] = (p.returncode, os.path.exists("/usr/bin/ssgw"),
                     os.path.exists("/etc/logrotate.d/openssgw"))
    p = run(["dpkg", "-P", "openssgw"])
    res["dpkg_p"] = (p.returncode, os.path.exists("/etc/logrotate.d/openssgw"),
                     os.path.exists("/var/log/ssgw"))
    print(json.dumps(res))


def check_unit_run(prefix, g, n_frames):
    check(prefix + "unit: Type=notify", g.get("type") == "notify", g.get("type"))
    check(prefix + "ExecStartPre (--check-config) passes as the unit's user",
          g.get("pre", (1,))[0] == 0, g.get("pre"))
    check(prefix + "ExecStart as the unit's user reports READY=1", g.get("ready"),
          (g.get("notify"), g.get("log")))
    check(prefix + "the gateway's links are up and it judges traffic (%d messages)" % n_frames,
          g.get("links") == ["ipx", "stp1"] and g.get("data_in") == n_frames,
          (g.get("links"), g.get("data_in"), g.get("error")))
    check(prefix + "ExecReload: RELOADING=1 then READY=1",
          g.get("reloading") and g.get("reloaded"), g.get("notify"))
    check(prefix + "SIGTERM: STOPPING=1 and exit 0", g.get("stopping") and g.get("rc") == 0,
          (g.get("rc"), g.get("log")))
    check(prefix + "events and report written in the LogsDirectory, owned by ssgw",
          g.get("events", 0) > 0 and g.get("events_owner") and g.get("report"),
          (g.get("events"), g.get("events_owner"), g.get("report")))


def test_overlay(a, work, deb, version, frames):
    ovl = os.path.join(work, "overlay")
    os.makedirs(ovl, exist_ok=True)
    fr = os.path.join(work, "frames.json")
    json.dump([f.hex() for f in frames], open(fr, "w"))
    p = run(["unshare", "--mount", "--propagation", "private", sys.executable,
             os.path.abspath(__file__), "--overlay-child", "--deb", deb, "--frames", fr,
             "--workdir", work, "--source", a.source])
    if p.returncode != 0 and "unshare" in p.stderr and "not permitted" in p.stderr:
        print("note: no mount namespace here: overlay install not run (%s)" % p.stderr.strip())
        return
    try:
        r = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        check("overlay: the install ran", False, (p.stdout[-1000:], p.stderr[-2000:]))
        return
    check("overlay: dpkg -i installs the package", r["dpkg_i"][0] == 0, r["dpkg_i"][1])
    check("overlay: dpkg says installed, version %s" % version,
          r["status"] == "install ok installed %s" % version, r["status"])
    check("overlay: postinst made the system users ssgw and tsca",
          all(re.match(r"%s:x:\d+:\d+:" % u, r["users"][u]) for u in ("ssgw", "tsca"))
          and all(int(r["users"][u].split(":")[2]) < 1000 for u in ("ssgw", "tsca")),
          r["users"])
    up = version.split("-")[0]
    check("overlay: /usr/bin/ssgw --version and tsca --version print " + up,
          r["ssgw_version"].startswith("ssgw (OpenSSGW) " + up)
          and r["tsca_version"].startswith("tsca (OpenSSGW) " + up),
          (r["ssgw_version"], r["tsca_version"]))
    check("overlay: man finds the installed pages",
          r["man"].startswith("/usr/share/man/man5/ssgw-gateway.toml.5"), r["man"])
    check("overlay: systemd-analyze verify passes ssgw@%s and tsca-serve (commands and man "
          "pages resolved)" % INSTANCE, r["verify"] == [0, ""], r["verify"])
    check("overlay: systemd-analyze verify passes the template file",
          r["verify_template"] == [0, ""], r["verify_template"])
    check_unit_run("overlay: ", r["gateway"], len(frames))
    t = r["tsca"]
    check("overlay: tsca-serve.service's ExecStart listens and answers HTTP (503: no bundle "
          "published yet)", t["listening"].startswith("listening on") and t["http"] == 503
          and t["rc"] == 0, t)
    check("overlay: dpkg -r removes the programs, keeps the conffiles",
          r["dpkg_r"] == [0, False, True], r["dpkg_r"])
    check("overlay: dpkg -P purges the conffiles and the gateways' logs",
          r["dpkg_p"] == [0, False, False], r["dpkg_p"])


# ---- 3. a fresh Debian 12 made by debootstrap ----------------------------------------------

def mirror():
    """The Debian mirror apt uses on this machine."""
    for path in ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"]:
        if os.path.exists(path):
            m = re.search(r"(?:URIs:|deb)\s+(https?://\S+/debian)\b", open(path).read())
            if m:
                return m.group(1)
    return "http://deb.debian.org/debian"


def debian12_child(a):
    work = os.path.abspath(a.workdir)
    root = os.path.join(work, "debian12")
    res = {}
    for fs, target in (("proc", "proc"), ("tmpfs", "run"), ("tmpfs", "tmp")):
        subprocess.run(["mount", "-t", fs, fs, os.path.join(root, target)], check=True)
    shutil.copy("/etc/resolv.conf", os.path.join(root, "etc", "resolv.conf"))
    shutil.copy(a.deb, os.path.join(root, "tmp", "openssgw.deb"))
    ch = System(root).cmd
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # procps: /bin/kill of ExecReload (priority important: on every standard system)
    p = run(ch(["apt-get", "install", "-y", "-q", "--no-install-recommends",
                "/tmp/openssgw.deb", "procps"]), env=env, timeout=900)
    res["apt"] = (p.returncode, (p.stdout + p.stderr)[-1500:])
    res["version"] = run(ch(["ssgw", "--version"])).stdout.strip()
    res["users"] = run(ch(["getent", "passwd", "ssgw"])).stdout.strip()
    frames = [bytes.fromhex(f) for f in json.load(open(a.frames))]
    # the unit's commands as systemd would run them in that system (chroot); ports and
    # sockets are reached from here
    res["gateway"] = start_gateway_unit(System(root), frames)
    print(json.dumps(res))


def test_debian12(a, work, deb, version, frames):
    if not shutil.which("debootstrap"):
        print("note: debootstrap is not installed: no fresh Debian 12 root")
        return 77
    root = os.path.join(work, "debian12")
    shutil.rmtree(root, ignore_errors=True)
    url = mirror()
    p = run(["debootstrap", "--variant=minbase", "bookworm", root, url], timeout=1200)
    if p.returncode != 0:
        print("note: debootstrap from %s failed (offline?): %s" % (url, p.stderr[-500:]))
        return 77
    fr = os.path.join(work, "frames.json")
    json.dump([f.hex() for f in frames], open(fr, "w"))
    p = run(["unshare", "--mount", "--propagation", "private", sys.executable,
             os.path.abspath(__file__), "--debian12-child", "--deb", deb, "--frames", fr,
             "--workdir", work, "--source", a.source], timeout=1500)
    try:
        r = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        check("debian 12: the install ran", False, (p.stdout[-1000:], p.stderr[-2000:]))
        return 0
    check("debian 12: apt-get install ./openssgw.deb on a fresh debootstrap root (%s)" % url,
          r["apt"][0] == 0, r["apt"][1])
    check("debian 12: ssgw --version runs in it", r["version"].startswith(
        "ssgw (OpenSSGW) " + version.split("-")[0]), r["version"])
    check("debian 12: the user ssgw exists", r["users"].startswith("ssgw:"), r["users"])
    check_unit_run("debian 12: ", r["gateway"], len(frames))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--build-dir", help="scripts/package --build-dir (default: its own)")
    ap.add_argument("--ssgw", help="an ssgw to make the attack frames with")
    ap.add_argument("--debian12", action="store_true")
    ap.add_argument("--overlay-child", action="store_true")
    ap.add_argument("--debian12-child", action="store_true")
    ap.add_argument("--deb")
    ap.add_argument("--frames")
    a = ap.parse_args()
    a.source = os.path.abspath(a.source)
    if a.overlay_child:
        overlay_child(a)
        return 0
    if a.debian12_child:
        debian12_child(a)
        return 0
    if os.geteuid() != 0:
        print("note: not root: dpkg and chroot need root")
        return 77
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cmd = [os.path.join(a.source, "scripts", "package"), "--out", work]
    if a.build_dir:
        cmd += ["--build-dir", a.build_dir]
    p = run(cmd, timeout=1800)
    deb = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    check("scripts/package builds the .deb", p.returncode == 0 and deb.endswith(".deb")
          and os.path.exists(deb), p.stderr[-2000:])
    if not os.path.exists(deb):
        return summary()
    info = run(["dpkg-deb", "-f", deb]).stdout
    fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", info, re.M))
    version = fields.get("Version", "")
    dep = fields.get("Depends", "")
    check("control: Package openssgw, Version, Maintainer, Section, Description",
          fields.get("Package") == "openssgw" and re.fullmatch(r"\d+\.\d+\.\d+-\d+", version)
          and fields.get("Maintainer") and fields.get("Section") == "net"
          and fields.get("Description"), fields)
    check("control: Depends from dpkg-shlibdeps (libc6, libpcap0.8, libssl3, libsystemd0)",
          all(x in dep for x in ("libc6", "libpcap0.8", "libssl3", "libsystemd0")), dep)
    ctl = os.path.join(work, "control")
    run(["dpkg-deb", "-e", deb, ctl])
    check("control: postinst, prerm, postrm executable; ldconfig trigger; shlibs",
          all(os.access(os.path.join(ctl, s), os.X_OK) for s in ("postinst", "prerm", "postrm"))
          and "ldconfig" in open(os.path.join(ctl, "triggers")).read()
          and open(os.path.join(ctl, "shlibs")).read().startswith("libssgw 0 openssgw"))
    check("control: conffiles are the files under /etc",
          open(os.path.join(ctl, "conffiles")).read().split() ==
          ["/etc/logrotate.d/openssgw", "/etc/default/tsca-serve"])
    files = [l.split()[-1].lstrip(".") for l in run(["dpkg-deb", "-c", deb]).stdout.splitlines()]
    want = ["/usr/bin/ssgw", "/usr/bin/tsca", "/lib/systemd/system/ssgw@.service",
            "/lib/systemd/system/tsca-serve.service", "/usr/lib/sysusers.d/openssgw.conf",
            "/etc/logrotate.d/openssgw", "/usr/share/man/man1/ssgw.1",
            "/usr/share/man/man1/tsca.1", "/usr/share/man/man5/ssgw-gateway.toml.5",
            "/usr/share/man/man5/ssgw.conf.5", "/usr/share/man/man5/tsca.conf.5",
            "/usr/share/doc/openssgw/copyright", "/usr/share/doc/openssgw/operations.md",
            "/usr/share/doc/openssgw/examples/deploy/albion.toml",
            "/usr/lib/x86_64-linux-gnu/libssgw.so.0", "/usr/include/ssgw/pipeline.h",
            "/usr/lib/x86_64-linux-gnu/ssgw/ssgw-inspect.so",
            "/usr/lib/x86_64-linux-gnu/ssgw/ssgw-gateway.so"]
    missing = [w for w in want if w not in files and not (w.startswith("/usr/lib/x86_64")
                                                          and any(w.split("/")[-1] in f
                                                                  for f in files))]
    check("files: binaries, libssgw, man pages, units, sysusers, logrotate, docs, examples",
          not missing, missing)

    # traffic for the started gateway: a few inbound attack frames
    ssgw = a.ssgw or shutil.which("ssgw")
    pcap = os.path.join(work, "attack.pcap")
    p = run([ssgw, "attack", "--seed", "3", "--count", "40", "--attack-ratio", "0.5",
             "--labels", os.path.join(work, "labels.jsonl"), "-q", pcap])
    labels = [json.loads(l) for l in open(os.path.join(work, "labels.jsonl"))]
    frames = [m for m, l in zip(pcap_frames(pcap), labels) if l["dir"] == "in"][:10]
    check("attack frames for the started gateway", p.returncode == 0 and frames, p.stderr)
    if a.debian12:
        rc = test_debian12(a, work, deb, version, frames)
        if rc == 77 and gwtest.tally["failures"] == 0:
            return 77
    else:
        test_overlay(a, work, deb, version, frames)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
