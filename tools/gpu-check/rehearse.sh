#!/usr/bin/env bash
# The GPU check rehearsed on this machine's CPU: run.sh with MM1_CHECK_DEVICE=cpu and step counts a
# 2-core machine gets through in a few minutes, so that every leg (the commands, their checks,
# the summary) is proven before a GPU machine, lent for minutes, runs the real thing.
#
#   tools/gpu-check/rehearse.sh OUT_DIR
#
# Each setting below can be overridden from the environment, as in run.sh. The training legs run at
# batch 8 instead of the GPU's 32 (a CPU step at 32 takes over a second), the bench at its
# shortest on the small config (512-side matrices, the CPU's float16 cap), and the budget and each
# leg's cap are wide: a shared CPU is slow and its speed is not what is rehearsed.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
export MM1_CHECK_DEVICE="${MM1_CHECK_DEVICE:-cpu}"
export MM1_CHECK_STEPS="${MM1_CHECK_STEPS:-20}"
export MM1_CHECK_TRAIN_SET="${MM1_CHECK_TRAIN_SET:-mm1.train.batch-size=8 mm1.train.log-every=5}"
export MM1_CHECK_PRETRAIN_STEPS="${MM1_CHECK_PRETRAIN_STEPS:-10}"
export MM1_CHECK_EVAL_ARGS="${MM1_CHECK_EVAL_ARGS:---limit 5}"
export MM1_CHECK_BENCH_ARGS="${MM1_CHECK_BENCH_ARGS:---warmup 1 --steps 2 --memory-steps 0 --vocab 512 --new-tokens 8 --matmul-size 512}"
export MM1_CHECK_BUDGET="${MM1_CHECK_BUDGET:-900}"
export MM1_CHECK_CAP_FACTOR="${MM1_CHECK_CAP_FACTOR:-4}"
start="$(date +%s)"
status=0
"$here/run.sh" "$@" || status=$?
echo "rehearsal: $(($(date +%s) - start)) s wall time, exit status $status"
exit "$status"
