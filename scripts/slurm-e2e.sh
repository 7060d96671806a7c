#!/usr/bin/env bash
# End to end on a real scheduler (issue 11): starts a throwaway single-node Slurm (Debian's
# slurm-wlm, installed if missing and running as root) with its own munge key, config and state
# in a temp folder, talking over 127.0.0.1 only; submits a sweep as a 3-task array job with
# `--shard auto` and a merge job that depends on it; checks that the merged sweep is byte-identical
# to the unsharded sweep run here (run.json manifests aside); stops every daemon it started and
# removes the folder. Exit 0 and "PASS" on success.
# Usage: scripts/slurm-e2e.sh [PROTOCOL]   (default protocols/nsclc-first-line.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PROTOCOL=${1:-protocols/nsclc-first-line.yaml}
SWEEP=(sweep "$PROTOCOL" --vary enrolment.target=40:120:40 --vary endpoints.0.hazard_ratio.pd1_chemo=0.6,0.7 --replicates 20 --seed 7 --scenario base --workers 1 --quiet)

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" != 0 ]; then echo "slurm-e2e: install Debian's slurm-wlm first (apt-get install slurm-wlm)" >&2; exit 2; fi
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm >/dev/null
fi
[ -f dist/cli/index.js ] || npm run build >/dev/null

W=$(mktemp -d /tmp/vtrial-slurm-e2e-XXXXXX)
chmod 700 "$W"
PIDS=()
cleanup() {
  local rc=$?
  [ -n "${SLURM_CONF:-}" ] && scancel --quiet --user=root 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$rc" != 0 ]; then echo "slurm-e2e: FAILED (logs below)" >&2; tail -n 20 "$W"/*.log >&2 2>/dev/null || true; fi
  rm -rf "$W"
}
trap cleanup EXIT

HOST=$(hostname -s)
dd if=/dev/urandom of="$W/munge.key" bs=1 count=1024 status=none
chmod 400 "$W/munge.key"
munged -F -f --key-file="$W/munge.key" --socket="$W/munge.sock" --pid-file="$W/munged.pid" --log-file="$W/munged.log" --seed-file="$W/munged.seed" >> "$W/munged.log" 2>&1 &
PIDS+=($!)

mkdir -p "$W/state" "$W/spool"
cat > "$W/slurm.conf" <<EOF
ClusterName=vtrial-e2e
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$W/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/slurmctld.pid
SlurmdPidFile=$W/slurmd.pid
SlurmctldLogFile=$W/slurmctld.log
SlurmdLogFile=$W/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=e2e Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$W/slurm.conf"
for _ in $(seq 1 50); do [ -S "$W/munge.sock" ] && break; sleep 0.2; done
slurmctld -D -f "$SLURM_CONF" >> "$W/slurmctld.log" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" >> "$W/slurmd.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 60); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  [ "$i" = 60 ] && { echo "slurm-e2e: the node did not come up (sinfo: ${state:-no answer})" >&2; exit 1; }
  sleep 1
done
echo "slurm-e2e: single-node Slurm $(slurmctld -V | cut -d' ' -f2) up on $HOST (127.0.0.1)"

# The sweep as an array job with --shard auto (k, n from SLURM_ARRAY_TASK_ID, _MIN, _MAX), and the merge after it.
printf -v cmd '%q ' node bin/vtrial.js "${SWEEP[@]}"
jid=$(sbatch --parsable --array=1-3 --chdir="$REPO" --output="$W/shard-%a.log" --wrap "$cmd --shard auto --out $W/shards/\$SLURM_ARRAY_TASK_ID")
mid=$(sbatch --parsable --dependency=afterok:"$jid" --kill-on-invalid-dep=yes --chdir="$REPO" --output="$W/merge.log" --wrap "node bin/vtrial.js merge $W/shards/* --out $W/merged --quiet")
echo "slurm-e2e: submitted array job $jid (3 tasks) and merge job $mid (afterok:$jid)"
for i in $(seq 1 300); do
  st=$(scontrol show job "$mid" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
  case "$st" in
    COMPLETED) break ;;
    FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) echo "slurm-e2e: merge job $st" >&2; cat "$W"/shard-*.log "$W/merge.log" >&2 || true; exit 1 ;;
  esac
  [ "$i" = 300 ] && { echo "slurm-e2e: the jobs did not finish in 600 s (merge job: ${st:-unknown})" >&2; exit 1; }
  sleep 2
done
for k in 1 2 3; do
  grep -q "\"k\": $k," "$W/shards/$k/run.json" && grep -q '"n": 3' "$W/shards/$k/run.json" || { echo "slurm-e2e: shard $k did not take k=$k, n=3 from the array" >&2; exit 1; }
done

node bin/vtrial.js "${SWEEP[@]}" --out "$W/whole"
(cd "$W/whole" && find . -type f ! -name run.json | sort) > "$W/whole.files"
(cd "$W/merged" && find . -type f ! -name run.json | sort) > "$W/merged.files"
cmp -s "$W/whole.files" "$W/merged.files" || { echo "slurm-e2e: the merged sweep has other files than the unsharded one" >&2; diff "$W/whole.files" "$W/merged.files" >&2; exit 1; }
while read -r f; do
  cmp -s "$W/whole/$f" "$W/merged/$f" || { echo "slurm-e2e: $f differs between the merged and the unsharded sweep" >&2; exit 1; }
done < "$W/whole.files"
echo "slurm-e2e: PASS: $(wc -l < "$W/whole.files") files of the merged sweep (3 array tasks, --shard auto) are byte-identical to the unsharded sweep"
