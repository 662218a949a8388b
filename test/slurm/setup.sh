#!/bin/bash
# Starts (or stops) a one-node Slurm for the tests: munged, slurmctld and slurmd with two fake GPUs (Debian slurm-wlm 22.05).
#
#   test/slurm/setup.sh start   # idempotent: writes the config, starts what is not running, waits until the node is idle
#   test/slurm/setup.sh stop    # stops the daemons this script started (munged is left to the system)
#
# Everything lives in $TRAINYARD_SLURM_DIR (default /tmp/trainyard-slurm); clients find it through
# SLURM_CONF=$TRAINYARD_SLURM_DIR/slurm.conf, so /etc/slurm is never touched. Exit 3: Slurm is not installed here.
set -euo pipefail

DIR="${TRAINYARD_SLURM_DIR:-/tmp/trainyard-slurm}"
CONF="$DIR/slurm.conf"
export SLURM_CONF="$CONF"
HOST="$(hostname -s)"

need() { command -v "$1" >/dev/null 2>&1 || { echo "Slurm is not installed: $1 is missing (apt-get install -y slurm-wlm munge)" >&2; exit 3; }; }

# Waits up to $1 seconds for the command after it to succeed, checking every 0.2 s.
wait_for() {
  local limit=$1; shift
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= end)); then return 1; fi
    sleep 0.2
  done
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_config() {
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/dev"
  # Fake GPUs: character devices with NVIDIA's major number (195). Slurm only needs the files to exist to bind them
  # to jobs; it then sets CUDA_VISIBLE_DEVICES per job, as on a real GPU node.
  for i in 0 1; do [[ -c "$DIR/dev/nvidia$i" ]] || mknod "$DIR/dev/nvidia$i" c 195 "$i"; done
  local cpus; cpus=$(nproc)
  local mem; mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  cat >"$CONF.tmp" <<CONF
# One-node Slurm for Trainyard's tests (test/slurm/setup.sh).
ClusterName=trainyard
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
MpiDefault=none
ReturnToService=2
# Finished jobs stay visible to squeue/scontrol for an hour (no accounting database here).
MinJobAge=3600
KillWait=5
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerParameters=sched_interval=2
NodeName=$HOST CPUs=$cpus RealMemory=$mem Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
  echo "NodeName=$HOST Name=gpu File=$DIR/dev/nvidia[0-1]" >"$DIR/gres.conf.tmp"
  mv "$CONF.tmp" "$CONF"
  mv "$DIR/gres.conf.tmp" "$DIR/gres.conf"
}

start_munge() {
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then return; fi
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  [[ -f /etc/munge/munge.key ]] || { mungekey --create 2>/dev/null || create-munge-key -f; chown munge:munge /etc/munge/munge.key; }
  if id munge >/dev/null 2>&1; then runuser -u munge -- munged; else munged --force; fi
  wait_for 20 bash -c 'munge -n </dev/null | unmunge' || { echo "munged did not start" >&2; exit 1; }
}

node_idle() { [[ "$(sinfo -h -n "$HOST" -o %T 2>/dev/null)" =~ ^idle ]]; }

start() {
  need slurmctld; need slurmd; need munged; need sbatch
  write_config
  start_munge
  pid_alive "$DIR/slurmctld.pid" || slurmctld
  wait_for 30 scontrol ping || { echo "slurmctld did not answer; see $DIR/slurmctld.log" >&2; exit 1; }
  pid_alive "$DIR/slurmd.pid" || slurmd
  # A node left down/drained by an earlier run (killed daemons) comes back to service.
  if ! wait_for 30 node_idle; then
    scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true
    wait_for 30 node_idle || { echo "node $HOST is not idle: $(sinfo -h -n "$HOST" -o '%T %E'); see $DIR/slurmd.log" >&2; exit 1; }
  fi
  echo "SLURM_CONF=$CONF"
}

stop_daemon() {
  local pidfile=$1
  if pid_alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    kill "$pid"
    wait_for 20 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  fi
}

stop() {
  stop_daemon "$DIR/slurmd.pid"
  stop_daemon "$DIR/slurmctld.pid"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
