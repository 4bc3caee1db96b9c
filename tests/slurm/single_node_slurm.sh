#!/usr/bin/env bash
# A single-node Slurm cluster on this machine for credo's Slurm tests: munge, slurmctld, slurmd and slurmdbd from
# Debian with generated configs on this host, and a private MariaDB server (in DIR, on a local port) holding the
# accounting database that `sacct` reads. No cgroups.
#
#   tests/slurm/single_node_slurm.sh start DIR   writes DIR/slurm.conf, starts the daemons, waits for the node
#   tests/slurm/single_node_slurm.sh stop DIR    stops them
# Then use Slurm with SLURM_CONF=DIR/slurm.conf.
set -euo pipefail
action="${1:?start|stop}"
dir="$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)"
conf="$dir/slurm.conf"

if [[ "$action" == "stop" ]]; then
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/slurmdbd.pid" "$dir/mariadb.pid"; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  exit 0
fi

missing=()
for p in slurm-wlm slurmdbd munge mariadb-server; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

host="$(hostname -s)"
mkdir -p "$dir/state" "$dir/spool" /run/munge /etc/munge
if [[ ! -s /etc/munge/munge.key ]]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key /run/munge
chmod 400 /etc/munge/munge.key
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged

# The accounting database: a MariaDB server of our own in DIR (port 33061 on 127.0.0.1), which slurmdbd fills.
db_port=33061
if [[ ! -d "$dir/mariadb" ]]; then
  mariadb-install-db --user=root --datadir="$dir/mariadb" --auth-root-authentication-method=socket \
    --skip-test-db >"$dir/mariadb-install.log" 2>&1
fi
mariadbd --user=root --datadir="$dir/mariadb" --socket="$dir/mariadb.sock" --pid-file="$dir/mariadb.pid" \
  --bind-address=127.0.0.1 --port=$db_port --log-error="$dir/mariadb.log" >"$dir/mariadb.out" 2>&1 &
for _ in $(seq 60); do
  mariadb --socket="$dir/mariadb.sock" -e "select 1" >/dev/null 2>&1 && break
  sleep 0.5
done
mariadb --socket="$dir/mariadb.sock" -e "CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'credo-test';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"
cat >"$dir/slurmdbd.conf" <<CONF
DbdHost=localhost
SlurmUser=root
AuthType=auth/munge
PidFile=$dir/slurmdbd.pid
LogFile=$dir/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$db_port
StorageUser=slurm
StoragePass=credo-test
StorageLoc=slurm_acct_db
CONF
chmod 600 "$dir/slurmdbd.conf"

cat >"$conf" <<CONF
ClusterName=credo-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=20
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
JobCompType=jobcomp/none
NodeName=$host CPUs=$(nproc) RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"  # slurmdbd reads slurmdbd.conf from the same folder
slurmdbd
for _ in $(seq 60); do
  sacctmgr -n list cluster >/dev/null 2>&1 && break
  sleep 0.5
done
sacctmgr -i add cluster credo-test >/dev/null 2>&1 || true  # present already on a restart
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 60); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then
    exit 0
  fi
  sleep 1
done
echo "single_node_slurm.sh: the node did not come up; see $dir/slurmctld.log, $dir/slurmd.log and $dir/slurmdbd.log" >&2
exit 1
