"""Redis servers of a test's own, for the shared-state tests (test_state_redis.py,
test_gateway_shared.py): a standalone redis-server or a Redis Cluster of 3 masters and 3
replicas (redis-server --cluster-enabled yes, redis-cli --cluster create), on free
127.0.0.1 ports, in the test's work directory, stopped by stop(). Readiness is waited for
on what the servers say (a port accepting, CLUSTER INFO, INFO replication), never on time.
redis-cli is also the independent reader of what the gateways wrote."""
import os
import shutil
import signal
import socket
import subprocess
import time


def need_tools():
    """Paths of redis-server and redis-cli (scripts/deps installs them)."""
    srv, cli = shutil.which("redis-server"), shutil.which("redis-cli")
    if not srv or not cli:
        raise SystemExit("redis-server / redis-cli not found: run scripts/deps")
    return srv, cli


_reserved = []  # sockets holding the ports free_ports gave out (gwtest.free_port says why)


def _reserve(port):
    """Holds port (bound with SO_REUSEADDR, never listening; Redis sets SO_REUSEADDR too);
    False when it is taken."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        return False
    _reserved.append(s)
    return True


def free_ports(n, cluster=False):
    """n ports free on 127.0.0.1 (with the cluster bus port + 10000 free too), reserved for
    this test while it runs."""
    out = []
    while len(out) < n:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        if p in out or (cluster and (p > 55000 or not _reserve(p + 10000))):
            s.close()
            continue
        _reserved.append(s)
        out.append(p)
    return out


def wait_until(what, cond, timeout=30.0, step=0.02):
    """Polls cond() (a state the servers report) until true; raises after timeout."""
    end = time.time() + timeout
    while time.time() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    raise RuntimeError("timed out waiting for " + what)


def accepting(port):
    s = socket.socket()
    s.settimeout(0.5)
    try:
        s.connect(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


class Redis:
    """Some redis-server processes of the test."""

    def __init__(self, work, name):
        self.srv, self.cli_bin = need_tools()
        self.dir = os.path.join(work, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.procs = {}

    def start_node(self, port, *extra, listen=None):
        """redis-server on port (0: none; then it listens on `listen`, e.g. its TLS port)."""
        listen = listen or port
        d = os.path.join(self.dir, str(listen))
        os.makedirs(d, exist_ok=True)
        log = open(os.path.join(d, "redis.log"), "a")
        p = subprocess.Popen([self.srv, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", d, "--protected-mode", "no"] +
                             list(extra), stdout=log, stderr=subprocess.STDOUT)
        self.procs[listen] = p
        wait_until("redis-server on port %d" % listen,
                   lambda: accepting(listen) or p.poll() is not None, 15)
        if p.poll() is not None:
            raise RuntimeError("redis-server on port %d exited: %s" % (
                listen, open(os.path.join(d, "redis.log")).read()[-2000:]))
        return p

    def cli(self, port, *args, check=False):
        r = subprocess.run([self.cli_bin, "-p", str(port)] + [str(a) for a in args],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
        if check and r.returncode != 0:
            raise RuntimeError("redis-cli %s: %s" % (" ".join(map(str, args)), r.stdout))
        return r.stdout.strip()

    def kill(self, port):
        p = self.procs.get(port)
        if p and p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()

    def stop(self):
        for port in list(self.procs):
            self.kill(port)


class Standalone(Redis):
    def __init__(self, work, name="redis"):
        Redis.__init__(self, work, name)
        self.port = free_ports(1)[0]
        self.start_node(self.port)
        self.url = "redis://127.0.0.1:%d" % self.port

    def restart(self):
        self.start_node(self.port)


class Cluster(Redis):
    """3 masters and 3 replicas; a failed master's replica takes over after node_timeout ms."""

    def __init__(self, work, name="cluster", node_timeout=1000):
        Redis.__init__(self, work, name)
        self.ports = free_ports(6, cluster=True)
        for p in self.ports:
            self.start_node(p, "--cluster-enabled", "yes", "--cluster-config-file",
                            "nodes-%d.conf" % p, "--cluster-node-timeout", str(node_timeout))
        self.cli(self.ports[0], "--cluster", "create",
                 *["127.0.0.1:%d" % p for p in self.ports],
                 "--cluster-replicas", "1", "--cluster-yes", check=True)
        self.wait_healthy(self.ports)
        # the roles reach CLUSTER NODES by gossip: healthy() may pass before a node turned
        # replica; wait until each replica says its link is up (a replica that never synced
        # refuses to be promoted: "disconnected from master for longer than allowed")
        wait_until("every replica in sync", lambda: sum(
            self.synced(p) for p in self.ports) == len(self.ports) // 2, 60, 0.05)
        self.url = "redis://" + ",".join("127.0.0.1:%d" % p for p in self.ports[:2])

    def nodes(self, via):
        """[(port, role, master_port_or_None, slots_text)] from CLUSTER NODES."""
        out, ids = [], {}
        rows = [l.split() for l in self.cli(via, "cluster", "nodes").splitlines() if l.strip()]
        for r in rows:
            ids[r[0]] = int(r[1].split("@")[0].split(":")[1])
        for r in rows:
            port = int(r[1].split("@")[0].split(":")[1])
            role = "master" if "master" in r[2] else "replica"
            failed = "fail" in r[2] and "fail?" not in r[2]
            out.append((port, role, ids.get(r[3]), " ".join(r[8:]), failed))
        return out

    def masters(self, via=None):
        via = via or self.alive()[0]
        return [n[0] for n in self.nodes(via) if n[1] == "master" and not n[4] and n[3]]

    def alive(self):
        return [p for p in self.ports if self.procs[p].poll() is None]

    def healthy(self, ports):
        for p in ports:
            if "cluster_state:ok" not in self.cli(p, "cluster", "info"):
                return False
        # every live master has a live, synchronised replica or was told about the failure
        for n in self.nodes(ports[0]):
            if n[1] == "replica" and n[0] in ports and not n[4]:
                if "master_link_status:up" not in self.cli(n[0], "info", "replication"):
                    return False
        return True

    def synced(self, port):
        """The node is a replica whose link to its master is up (its own INFO)."""
        info = self.cli(port, "info", "replication")
        return "role:slave" in info and "master_link_status:up" in info

    def wait_synced(self, replica, timeout=60):
        wait_until("replica %d in sync" % replica, lambda: self.synced(replica), timeout, 0.05)

    def wait_healthy(self, ports, timeout=60):
        wait_until("the cluster to be healthy", lambda: self.healthy(ports), timeout, 0.05)

    def slot_owner(self, slot, via=None):
        """The port of the master serving slot."""
        for port, role, _, slots, failed in self.nodes(via or self.alive()[0]):
            for r in slots.split():
                lo, _, hi = r.partition("-")
                if role == "master" and not failed and lo.isdigit() and \
                        int(lo) <= slot <= int(hi or lo):
                    return port
        return None

    def key_slot(self, key):
        return int(self.cli(self.alive()[0], "cluster", "keyslot", key))

    def move_slot(self, slot, dst):
        """Migrates one slot and its keys to master dst (CLUSTER SETSLOT IMPORTING /
        MIGRATING, MIGRATE, SETSLOT NODE on every master), as a resharding does."""
        src = self.slot_owner(slot)
        sid, did = self.cli(src, "cluster", "myid"), self.cli(dst, "cluster", "myid")
        self.cli(dst, "cluster", "setslot", slot, "importing", sid, check=True)
        self.cli(src, "cluster", "setslot", slot, "migrating", did, check=True)
        while True:
            keys = self.cli(src, "cluster", "getkeysinslot", slot, 100).split()
            if not keys:
                break
            self.cli(src, "migrate", "127.0.0.1", dst, "", 0, 5000, "keys", *keys, check=True)
        for m in self.masters(src):
            self.cli(m, "cluster", "setslot", slot, "node", did, check=True)
        wait_until("slot %d on %d" % (slot, dst),
                   lambda: all(self.slot_owner(slot, p) == dst for p in self.alive()), 30, 0.05)
        return src

    def kill_master_with_replica(self):
        """Kills a master (SIGKILL); returns (its port, its replica's port)."""
        via = self.alive()[0]
        for port, role, master, _, _ in self.nodes(via):
            if role == "replica" and master in self.alive():
                self.kill(master)
                return master, port
        raise RuntimeError("no master with a replica")

    def wait_promoted(self, replica, timeout=60):
        """Until the replica is a master serving slots and the cluster is ok again."""
        alive = self.alive()
        wait_until("replica %d to be promoted" % replica,
                   lambda: replica in self.masters(replica) and
                   all("cluster_state:ok" in self.cli(p, "cluster", "info") for p in alive),
                   timeout, 0.05)
