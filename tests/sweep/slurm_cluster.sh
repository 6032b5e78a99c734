#!/usr/bin/env bash
# Starts and stops a throwaway one-node Slurm cluster on localhost for tests, from Debian 12's
# packages (slurm-wlm, slurmdbd, munge, mariadb-server-core; see scripts/install-deps).
#
#   slurm_cluster.sh start DIR   DIR: a fresh, short-pathed directory of the caller's (the unix
#                                sockets of munged and of slurmd's job steps live under it and
#                                must stay under 108 bytes). Starts munged, mariadbd, slurmdbd,
#                                slurmctld and slurmd, all with their files in DIR, waits until the
#                                node is idle, then prints the client environment on stdout, e.g.
#                                  export SLURM_CONF=DIR/slurm.conf
#                                for the caller to eval. On failure it prints the daemons' log tails
#                                to stderr, stops whatever it started and exits non-zero.
#   slurm_cluster.sh stop DIR    Cancels the cluster's jobs, stops exactly the daemons started for
#                                DIR (by their pid files) and waits for them to exit. Idempotent.
#
# sacct is backed by the real accounting path: slurmdbd over a private MariaDB server (own datadir,
# socket and TCP port in DIR); Slurm 22.05's sacct can no longer read jobcomp files.
# Must run as root: slurmd has to be root to start jobs, and the daemons run as SlurmUser=root.
# Every TCP port (slurmctld, slurmd, slurmdbd, mariadbd) is picked free at start, so clusters in
# different DIRs can run side by side.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action="$1"
if [ ! -d "$2" ]; then
  [ "$action" = stop ] && exit 0 # nothing was started there
  echo "$0: $2: no such directory" >&2
  exit 2
fi
dir="$(cd "$2" && pwd -P)"
conf="$dir/slurm.conf"
cluster=evtwin
start_timeout=60 # seconds for each daemon to come up
stop_timeout=20  # seconds for each daemon to exit after SIGTERM before it gets SIGKILL

# Daemons in stop order: name, pid file, and the executable /proc/PID/exe must point at, so that a
# stale pid file never makes us signal an unrelated process.
daemons=(
  "slurmd $dir/slurmd.pid slurmd"
  "slurmctld $dir/slurmctld.pid slurmctld"
  "slurmdbd $dir/slurmdbd.pid slurmdbd"
  "mariadbd $dir/mariadb/mariadbd.pid mariadbd"
  "munged $dir/munged.pid munged"
)

# True when PID is alive, runs EXE, and belongs to DIR (DIR in its command line or environment).
ours() {
  local pid="$1" exe="$2" path
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  path="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  case "$(basename "${path% (deleted)}")" in "$exe" | "$exe"-wlm) ;; *) return 1 ;; esac
  # (grep without -q: reading all input spares tr a SIGPIPE, which pipefail would report)
  tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -F "$dir/" >/dev/null && return 0
  tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -xF "SLURM_CONF=$conf" >/dev/null
}

stop_pid() { # name pid exe
  local name="$1" pid="$2" exe="$3" i
  ours "$pid" "$exe" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < stop_timeout * 10; i++)); do
    ours "$pid" "$exe" || return 0
    sleep 0.1
  done
  echo "$0: $name ($pid) did not exit on SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    ours "$pid" "$exe" || return 0
    sleep 0.1
  done
}

stop_cluster() {
  local d name pidfile exe i
  # Jobs first, while slurmctld is up, so no job steps outlive the cluster.
  if [ -f "$conf" ] && [ -f "$dir/slurmctld.pid" ] && ours "$(cat "$dir/slurmctld.pid")" slurmctld; then
    if SLURM_CONF="$conf" timeout 10 scancel --partition=debug >/dev/null 2>&1; then
      for ((i = 0; i < 100; i++)); do
        [ -z "$(SLURM_CONF="$conf" timeout 5 squeue -h -o %A 2>/dev/null)" ] && break
        sleep 0.1
      done
    fi
  fi
  for d in "${daemons[@]}"; do
    read -r name pidfile exe <<<"$d"
    [ -f "$pidfile" ] || continue
    stop_pid "$name" "$(cat "$pidfile" 2>/dev/null || true)" "$exe"
    rm -f "$pidfile"
  done
  # Should slurmctld have been gone already, job steps may have outlived slurmd: slurmstepd
  # carries SLURM_CONF=DIR/slurm.conf from slurmd's environment, a job's processes carry it and
  # SLURM_JOB_ID. (The caller has SLURM_CONF too, but no SLURM_JOB_ID of this cluster.) Both get
  # SIGKILL: slurmstepd ignores SIGTERM.
  local p env
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    [ "$p" != $$ ] || continue
    if ours "$p" slurmstepd; then
      kill -KILL "$p" 2>/dev/null || true
    elif env="$(tr '\0' '\n' 2>/dev/null <"/proc/$p/environ")" &&
      grep -xF "SLURM_CONF=$conf" <<<"$env" >/dev/null && grep '^SLURM_JOB_ID=' <<<"$env" >/dev/null; then
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  return 0
}

if [ "$action" = stop ]; then
  stop_cluster
  exit 0
fi
[ "$action" = start ] || usage

# ---------------------------------------------------------------------------------------------- start
if [ "$(id -u)" -ne 0 ]; then
  echo "$0: start must run as root (slurmd launches jobs as root)" >&2
  exit 1
fi
for tool in munged mungekey munge unmunge mariadb-install-db mariadbd mariadb slurmdbd slurmctld \
  slurmd sacctmgr scontrol sinfo; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool not found; run scripts/install-deps" >&2; exit 1; }
done
if [ ${#dir} -gt 60 ]; then
  echo "$0: $dir is too long (${#dir} > 60 bytes): unix socket paths under it would overflow" >&2
  exit 1
fi
if [ -e "$conf" ]; then
  echo "$0: $conf exists; start wants a fresh directory" >&2
  exit 1
fi

started=0
on_exit() {
  local rc=$?
  if [ "$started" -eq 0 ]; then
    {
      echo "$0: start failed (exit $rc); log tails follow"
      local f
      for f in munged.log mariadb/mariadbd.log slurmdbd.log slurmctld.log slurmd.log; do
        [ -f "$dir/$f" ] || continue
        echo "----- $dir/$f"
        tail -n 25 "$dir/$f"
      done
    } >&2
    stop_cluster || true
    [ "$rc" -ne 0 ] || rc=1
  fi
  exit "$rc"
}
trap on_exit EXIT

fail() {
  echo "$0: $*" >&2
  exit 1
}

# Waits until the command succeeds, at most start_timeout seconds in all (a try that hangs is the
# command's business: each wraps its clients in `timeout`).
wait_for() { # what command...
  local what="$1" deadline=$((SECONDS + start_timeout))
  shift
  while [ "$SECONDS" -lt "$deadline" ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "timed out after ${start_timeout}s waiting for $what"
}

# Free TCP ports below the ephemeral range, not bound or connected on this host (any state in
# /proc/net/tcp{,6}) and distinct from each other.
pick_ports() { # count
  local -A used=()
  local line f port n=0 lo=10000 hi=32000 tries=0
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    while read -r _ line _; do
      [[ "$line" == *:* ]] || continue
      used[$((16#${line##*:}))]=1
    done <"$f"
  done
  read -r f _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null && [ "$f" -gt 1024 ] && hi=$((f - 1))
  [ "$hi" -gt $((lo + 1000)) ] || lo=1025
  while [ "$n" -lt "$1" ]; do
    ((++tries < 10000)) || fail "no free TCP ports"
    port=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo)))
    [ -z "${used[$port]:-}" ] || continue
    used[$port]=1
    echo "$port"
    n=$((n + 1))
  done
}

host="$(hostname -s)"
cpus="$(nproc)"
mem_mb=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024))
real_mem=$((mem_mb * 3 / 4)) # under the real size, or slurmd would have the node drained
read -r ctld_port slurmd_port dbd_port db_port < <(pick_ports 4 | tr '\n' ' ') || true
[ -n "$db_port" ] || fail "could not pick free TCP ports"
export SLURM_CONF="$conf" # slurmdbd finds slurmdbd.conf beside it; marks the daemons as DIR's

mkdir -p "$dir/state" "$dir/spool" "$dir/mariadb"
: >"$dir/plugstack.conf" # keeps /etc/slurm/plugstack.conf{,.d} out of this cluster

# munge: own key, socket, pid, log and seed files. munged checks that these live in directories
# only its user may write and refuses otherwise; --force accepts DIR wherever the caller put it.
mungekey --create --keyfile="$dir/munge.key" 2>/dev/null ||
  dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
chmod 0400 "$dir/munge.key"
munged --force --socket="$dir/munge.socket" --key-file="$dir/munge.key" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" \
  </dev/null >>"$dir/munged.log" 2>&1 || fail "munged did not start"
munge_ok() { timeout 10 munge -n -S "$dir/munge.socket" | timeout 10 unmunge -S "$dir/munge.socket"; }
wait_for munged munge_ok

# MariaDB for slurmdbd: own datadir, socket and TCP port on 127.0.0.1; root without a password;
# no durability (a throwaway database). slurmdbd logs "Database settings not recommended values:
# innodb_buffer_pool_size innodb_log_file_size" for these small sizes: harmless here.
cat >"$dir/mariadb/my.cnf" <<EOF
[mariadbd]
user = root
datadir = $dir/mariadb/data
socket = $dir/mariadb/mariadbd.sock
pid-file = $dir/mariadb/mariadbd.pid
log-error = $dir/mariadb/mariadbd.log
bind-address = 127.0.0.1
port = $db_port
skip-name-resolve
innodb_buffer_pool_size = 64M
innodb_log_file_size = 8M
innodb_lock_wait_timeout = 900
innodb_flush_log_at_trx_commit = 0
innodb_doublewrite = 0
EOF
mariadb-install-db --defaults-file="$dir/mariadb/my.cnf" --auth-root-authentication-method=normal \
  --skip-test-db >"$dir/mariadb/install.log" 2>&1 ||
  { cat "$dir/mariadb/install.log" >&2; fail "mariadb-install-db failed"; }
setsid mariadbd --defaults-file="$dir/mariadb/my.cnf" </dev/null >>"$dir/mariadb/mariadbd.log" 2>&1 &
db_ok() {
  timeout 10 mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$db_port" -uroot -e 'select 1' &&
    [ -s "$dir/mariadb/mariadbd.pid" ]
}
wait_for mariadbd db_ok

# slurm.conf, shared by the daemons and the clients (sbatch, squeue, sacct, scontrol...).
cat >"$conf" <<EOF
ClusterName=$cluster
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/plugstack.conf
MailProg=/bin/true
MpiDefault=none
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$dbd_port
AccountingStoragePass=$dir/munge.socket
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
MaxArraySize=1001
ReturnToService=2
SlurmdTimeout=300
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$real_mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

cat >"$dir/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
DbdHost=$host
DbdAddr=127.0.0.1
DbdPort=$dbd_port
SlurmUser=root
PidFile=$dir/slurmdbd.pid
LogFile=$dir/slurmdbd.log
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$db_port
StorageUser=root
StorageLoc=slurm_acct_db
EOF
chmod 0600 "$dir/slurmdbd.conf"

slurmdbd </dev/null >>"$dir/slurmdbd.log" 2>&1 || fail "slurmdbd did not start"
wait_for slurmdbd timeout 10 sacctmgr -n list cluster
timeout 20 sacctmgr -i add cluster "$cluster" >/dev/null 2>&1 ||
  timeout 10 sacctmgr -n -P list cluster format=cluster | grep -x "$cluster" >/dev/null || fail "sacctmgr add cluster failed"

slurmctld -f "$conf" </dev/null >>"$dir/slurmctld.log" 2>&1 || fail "slurmctld did not start"
ctld_ok() { timeout 10 scontrol ping | grep 'is UP' >/dev/null; }
wait_for slurmctld ctld_ok

slurmd -f "$conf" -N "$host" </dev/null >>"$dir/slurmd.log" 2>&1 || fail "slurmd did not start"
node_idle() { [ "$(timeout 10 sinfo -h -n "$host" -o %T)" = idle ]; }
wait_for "node $host to be idle" node_idle

started=1
echo "export SLURM_CONF=$conf"
