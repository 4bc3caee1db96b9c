#!/usr/bin/env bash
# A single-node Slurm cluster on this machine for credo's Slurm tests: munge, slurmctld and slurmd from Debian
# with a generated slurm.conf on this host (no accounting database, no cgroups).
#
#   tests/slurm/single_node_slurm.sh start DIR   writes DIR/slurm.conf, starts the daemons, waits for the node
#   tests/slurm/single_node_slurm.sh stop DIR    stops them
# Then use Slurm with SLURM_CONF=DIR/slurm.conf.
set -euo pipefail
action="${1:?start|stop}"
dir="$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)"
conf="$dir/slurm.conf"

if [[ "$action" == "stop" ]]; then
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  exit 0
fi

missing=()
for p in slurm-wlm munge; do
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
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
NodeName=$host CPUs=$(nproc) RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 60); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then
    exit 0
  fi
  sleep 1
done
echo "single_node_slurm.sh: the node did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
exit 1
