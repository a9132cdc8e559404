#!/usr/bin/env bash
# The GPU check: one prepared command that shows whether MM1 Lab trains, evaluates and benchmarks
# on a machine's GPU, and writes everything it saw into one folder.
#
#   tools/gpu-check/run.sh OUT_DIR
#
# OUT_DIR must be new or empty. The check runs these legs, each bounded by `timeout`, in this order
# (a leg that fails does not stop the ones after it):
#   version           mm1 --version: the engine loaded, its version and flavour, the GPUs it sees
#   train-fp32        the training run tools/gpu-check/gpu-check.conf (the quickstart model at batch
#                     32), MM1_CHECK_STEPS steps
#   eval-fp32         mm1 eval of that run (results in OUT_DIR/eval-fp32)
#   bench             mm1 bench examples/bench/small.conf: matmul peaks in float32 and float16,
#                     the training step, generation, the data pipeline, memory
#   train-fp16-mixed  the same training with mm1.train.precision = fp16-mixed, where this build has
#                     that setting (asked of `mm1 config show` first; skipped, and said so, if not)
#   pretrain-encoder  mm1 pretrain-encoder examples/pretrain-clip.conf, MM1_CHECK_PRETRAIN_STEPS
# Every leg runs with mm1.device = gpu: on a machine whose engine sees no GPU each one stops with
# mm1's own error instead of quietly training on the CPU. MM1_CHECK_DEVICE=cpu (what rehearse.sh
# sets) runs the same legs on the CPU, to prove everything but the GPU.
#
# What it needs, from the environment:
#   a Java runtime      MM1_CHECK_JAVA_HOME (its bin/java), else `java` on PATH; Java 17 or newer
#   mm1 built           mm1-cli/target/mm1-cli.jar and mm1-cli/target/lib of this checkout (the
#                       pytorch-native-cpu jar may be left out when PYTORCH_LIBRARY_PATH is set)
#   a PyTorch engine    PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR, PYTORCH_VERSION and, for a JNI binding
#                       in DJL's cache, ENGINE_CACHE_DIR, exactly as ./mm1 takes them (README, GPUs)
#   the CUDA runtime    for DJL to count GPUs. Unless MM1_JAVA_OPTS names -Djna.library.path, the
#                       folder of the libcudart that libtorch_cuda.so links to is added to it
# Optional settings (defaults in brackets):
#   MM1_CHECK_DEVICE            gpu or cpu [gpu]
#   MM1_CHECK_STEPS             steps of each training leg [300]
#   MM1_CHECK_PRETRAIN_STEPS    steps of the encoder pretraining [200]
#   MM1_CHECK_EVAL_ARGS         mm1 eval options [--limit 50]
#   MM1_CHECK_BENCH_CONF        the bench's run file, or "quick" for mm1 bench --quick
#                               [examples/bench/small.conf]
#   MM1_CHECK_BENCH_ARGS        mm1 bench options
#                               [--warmup 10 --steps 20 --memory-steps 10 --matmul-size 8192]
#   MM1_CHECK_TRAIN_CONF        the training legs' run file [tools/gpu-check/gpu-check.conf]
#   MM1_CHECK_TRAIN_SET         extra PATH=VALUE settings for both training legs, space-separated
#   MM1_CHECK_PRETRAIN_CONF     the pretraining leg's run file [examples/pretrain-clip.conf]
#   MM1_CHECK_FP16              auto (run the fp16-mixed leg where the build has it) or off [auto]
#   MM1_CHECK_LEGS              the legs to run, comma-separated [all six]
#   MM1_CHECK_BUDGET            seconds for all legs together; a leg gets at most what is left, and
#                               a leg with less than 15 s left is not run (and counts as failed) [330]
#   MM1_CHECK_CAP_FACTOR        multiplies each leg's own cap (60 to 120 s, sized for a GPU) [1]
#   MM1_CHECK_MM1               the mm1 command [./mm1 of this checkout]
#
# What it writes in OUT_DIR: summary.md (the verdict and a table of the legs), results.json (the
# same for tools), LEG.log for each leg, env.txt (machine, Java, engine settings), nvidia-smi-before
# and -after, gpu-samples.csv (memory and utilisation sampled every half second while the legs
# ran, from which each leg's peak device memory comes), runs/ (the training runs), eval-fp32/,
# bench.json. summary.md and results.json are rewritten after every leg, so a check cut short
# still says how far it got.
#
# Exit status: 0 when every leg that ran passed (a leg this build cannot run, such as fp16-mixed
# without its setting, is skipped and does not count); 1 when a leg failed, timed out or found no
# time left; 2 for a bad argument or setting.
set -uo pipefail

fail_usage() {
  echo "mm1: error: $*" >&2
  exit 2
}

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
if [[ $# -ne 1 || "$1" == -* ]]; then
  fail_usage "usage: tools/gpu-check/run.sh OUT_DIR (settings by environment; see the top of the script)"
fi
if [[ -e "$1" && ! -d "$1" ]]; then
  fail_usage "OUT_DIR $1: is a file; give a new or empty folder"
fi
if [[ -d "$1" && -n "$(ls -A "$1")" ]]; then
  fail_usage "OUT_DIR $1: is not empty; give a new or empty folder (nothing in it is overwritten)"
fi
mkdir -p "$1" || fail_usage "OUT_DIR $1: cannot be created"
out="$(cd "$1" && pwd)"

whole_number() { # NAME VALUE LEAST
  if [[ ! "$2" =~ ^[0-9]+$ ]] || (($2 < $3)); then
    fail_usage "$1=$2: give a whole number of at least $3"
  fi
}
device="${MM1_CHECK_DEVICE:-gpu}"
[[ "$device" == gpu || "$device" == cpu ]] || fail_usage "MM1_CHECK_DEVICE=$device: give gpu or cpu"
steps="${MM1_CHECK_STEPS:-300}"
whole_number MM1_CHECK_STEPS "$steps" 1
pretrain_steps="${MM1_CHECK_PRETRAIN_STEPS:-200}"
whole_number MM1_CHECK_PRETRAIN_STEPS "$pretrain_steps" 1
budget="${MM1_CHECK_BUDGET:-330}"
whole_number MM1_CHECK_BUDGET "$budget" 1
cap_factor="${MM1_CHECK_CAP_FACTOR:-1}"
whole_number MM1_CHECK_CAP_FACTOR "$cap_factor" 1
fp16="${MM1_CHECK_FP16:-auto}"
[[ "$fp16" == auto || "$fp16" == off ]] || fail_usage "MM1_CHECK_FP16=$fp16: give auto or off"
all_legs="version,train-fp32,eval-fp32,bench,train-fp16-mixed,pretrain-encoder"
legs=",${MM1_CHECK_LEGS:-$all_legs},"
IFS=, read -ra asked <<< "${MM1_CHECK_LEGS:-$all_legs}"
for name in "${asked[@]}"; do
  [[ ",$all_legs," == *",$name,"* ]] || fail_usage "MM1_CHECK_LEGS: no leg '$name'; the legs are $all_legs"
done
read -ra eval_args <<< "${MM1_CHECK_EVAL_ARGS:---limit 50}"
read -ra bench_args <<< "${MM1_CHECK_BENCH_ARGS:---warmup 10 --steps 20 --memory-steps 10 --matmul-size 8192}"
read -ra train_set <<< "${MM1_CHECK_TRAIN_SET:-}"
train_conf="${MM1_CHECK_TRAIN_CONF:-$root/tools/gpu-check/gpu-check.conf}"
pretrain_conf="${MM1_CHECK_PRETRAIN_CONF:-$root/examples/pretrain-clip.conf}"
bench_conf="${MM1_CHECK_BENCH_CONF:-$root/examples/bench/small.conf}"
for file in "$train_conf" "$pretrain_conf"; do
  [[ -f "$file" ]] || fail_usage "$file: no such run file"
done
[[ "$bench_conf" == quick || -f "$bench_conf" ]] || fail_usage "MM1_CHECK_BENCH_CONF=$bench_conf: no such run file"
mm1="${MM1_CHECK_MM1:-$root/mm1}"
[[ -x "$mm1" ]] || fail_usage "MM1_CHECK_MM1=$mm1: not an executable"
if [[ -n "${MM1_CHECK_JAVA_HOME:-}" ]]; then
  [[ -x "$MM1_CHECK_JAVA_HOME/bin/java" ]] || fail_usage "MM1_CHECK_JAVA_HOME=$MM1_CHECK_JAVA_HOME: has no bin/java"
  export PATH="$MM1_CHECK_JAVA_HOME/bin:$PATH"
fi
command -v java > /dev/null || fail_usage "no java on PATH; set MM1_CHECK_JAVA_HOME to a Java runtime (17 or newer)"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"

started_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
started="$(date +%s)"
deadline=$((started + budget))
say() { echo "gpu-check: $*"; }

# ---- the machine, before -------------------------------------------------------------------
{
  echo "started $started_at on $(uname -n) ($(uname -srm))"
  echo "device mode: $device; budget ${budget} s"
  echo "java: $(command -v java) ($java_home)"
  java -version 2>&1 | sed 's/^/  /'
  for var in PYTORCH_LIBRARY_PATH PYTORCH_FLAVOR PYTORCH_VERSION ENGINE_CACHE_DIR DJL_CACHE_DIR \
    MM1_JAVA_OPTS LD_LIBRARY_PATH CUDA_VISIBLE_DEVICES; do
    echo "$var=${!var:-}"
  done
  echo "nproc: $(nproc 2> /dev/null || echo '?')"
} > "$out/env.txt"

has_smi=false
if command -v nvidia-smi > /dev/null; then
  has_smi=true
  timeout 30 nvidia-smi > "$out/nvidia-smi-before.txt" 2>&1
  timeout 30 nvidia-smi --query-gpu=index,name,driver_version,memory.total,memory.used,clocks.sm,temperature.gpu \
    --format=csv > "$out/nvidia-smi-gpus.csv" 2>&1
elif [[ "$device" == gpu ]]; then
  echo "nvidia-smi: not found; no device memory will be sampled" >> "$out/env.txt"
fi

# DJL counts GPUs through the CUDA runtime, which JNA must find as libcudart; the copy libtorch
# uses is the one that matches it.
if [[ "$device" == gpu && "${MM1_JAVA_OPTS:-}" != *jna.library.path* && -n "${PYTORCH_LIBRARY_PATH:-}" ]]; then
  cudart=""
  IFS=: read -ra libdirs <<< "$PYTORCH_LIBRARY_PATH"
  for dir in "${libdirs[@]}"; do
    if [[ -f "$dir/libtorch_cuda.so" ]]; then
      cudart="$(ldd "$dir/libtorch_cuda.so" 2> /dev/null | awk '/libcudart/ && $3 ~ /^\// {print $3; exit}')"
      break
    fi
  done
  if [[ -n "$cudart" ]]; then
    MM1_JAVA_OPTS="${MM1_JAVA_OPTS:-} -Djna.library.path=$(dirname "$cudart")"
    export MM1_JAVA_OPTS
    echo "libcudart for JNA: $cudart" >> "$out/env.txt"
  else
    echo "libcudart for JNA: not found beside libtorch_cuda.so; DJL looks on the library path" >> "$out/env.txt"
  fi
fi

# The synthetic world draws its written words with Java's Monospaced font, so Java needs at least
# one font file. A bare server image may have none; PyTorch machines usually have matplotlib,
# which ships the DejaVu fonts (DejaVu Sans Mono Bold is what Monospaced bold is on Debian).
fonts_in() { find "$@" -maxdepth 4 \( -name '*.ttf' -o -name '*.otf' \) -print -quit 2> /dev/null; }
if [[ -z "$(fonts_in "$java_home/lib/fonts" /usr/share/fonts /usr/local/share/fonts)" ]]; then
  mpl=""
  if command -v python3 > /dev/null; then
    mpl="$(timeout 60 python3 -c 'import matplotlib, os; print(os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf"))' 2> /dev/null)"
  fi
  if [[ -n "$mpl" && -f "$mpl/DejaVuSansMono-Bold.ttf" ]] && mkdir -p "$java_home/lib/fonts" 2> /dev/null &&
    cp "$mpl"/DejaVuSansMono*.ttf "$mpl"/DejaVuSans.ttf "$java_home/lib/fonts/"; then
    echo "fonts: none on this machine; copied matplotlib's DejaVu fonts into $java_home/lib/fonts" >> "$out/env.txt"
  else
    echo "fonts: none on this machine or in $java_home/lib/fonts; the synthetic world cannot draw its words" >> "$out/env.txt"
  fi
fi
if [[ "$device" == gpu ]] && command -v python3 > /dev/null; then
  echo "python3 torch: $(timeout 60 python3 -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, "gpus", torch.cuda.device_count())' 2>&1 | tail -n 1)" >> "$out/env.txt"
fi

# ---- device memory, sampled while the legs run ---------------------------------------------
sampler_pid=""
if $has_smi; then
  (
    while :; do
      sample="$(timeout 10 nvidia-smi -i 0 --query-gpu=memory.used,utilization.gpu --format=csv,noheader,nounits 2> /dev/null | head -n 1)"
      [[ -n "$sample" ]] && echo "$(date +%s.%N), $sample"
      sleep 0.5
    done
  ) > "$out/gpu-samples.csv" &
  sampler_pid=$!
fi
stop_sampler() {
  if [[ -n "$sampler_pid" ]]; then
    kill "$sampler_pid" 2> /dev/null
    wait "$sampler_pid" 2> /dev/null
    sampler_pid=""
  fi
}
trap stop_sampler EXIT
baseline_mib=""
if $has_smi; then
  sleep 1 # a first sample: the memory in use before any leg
  baseline_mib="$(awk -F', *' 'NR == 1 {print $2}' "$out/gpu-samples.csv" 2> /dev/null)"
fi

# The largest device memory in use between two times, in MiB; empty without samples.
peak_mib() {
  awk -F', *' -v from="$1" -v to="$2" '$1 >= from && $1 <= to && $2 + 0 > max {max = $2 + 0}
    END {if (max > 0) print max}' "$out/gpu-samples.csv" 2> /dev/null
}

# ---- the record of the legs ----------------------------------------------------------------
: > "$out/legs.tsv"
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\t'/ }"
  s="${s//$'\r'/ }"
  s="${s//$'\n'/ }"
  printf '"%s"' "$s"
}
one_line() { tr '\t\n\r' '   ' | sed 's/  */ /g; s/^ //; s/ $//'; }

write_reports() {
  local now passed=0 failed=0 skipped=0 name status seconds peak note verdict first=true
  local engine_line="" devices_line=""
  now="$(date +%s)"
  if [[ -f "$out/version.log" ]]; then
    engine_line="$(grep -m 1 '^engine' "$out/version.log")"
    devices_line="$(grep -m 1 '^devices: ' "$out/version.log")"
  fi
  while IFS=$'\t' read -r name status seconds peak note; do
    case "$status" in
      passed) passed=$((passed + 1)) ;;
      skipped) skipped=$((skipped + 1)) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done < "$out/legs.tsv"
  verdict="$passed passed, $failed failed, $skipped skipped"
  {
    echo "# MM1 Lab GPU check"
    echo
    echo "- started $started_at on $(uname -n), device mode \`$device\`, $((now - started)) s of a ${budget} s budget"
    echo "- java: $(java -version 2>&1 | head -n 1)"
    [[ -n "$engine_line" ]] && echo "- $engine_line"
    [[ -n "$devices_line" ]] && echo "- $devices_line"
    if $has_smi; then
      echo "- GPU (index, name, driver, memory, in use, SM clock, temperature): $(sed -n '2p' "$out/nvidia-smi-gpus.csv" 2> /dev/null)"
      echo "- device memory in use before the legs: ${baseline_mib:-?} MiB (nvidia-smi; peaks below are of the whole GPU)"
    fi
    echo "- verdict: **$verdict**"
    echo
    echo "| leg | result | seconds | peak device memory | notes |"
    echo "|---|---|---|---|---|"
    while IFS=$'\t' read -r name status seconds peak note; do
      [[ "$peak" == - ]] || peak="$peak MiB"
      echo "| $name | $status | $seconds | $peak | ${note//|/\\|} |"
    done < "$out/legs.tsv"
    echo
    echo "Logs: \`LEG.log\` beside this file; the machine: \`env.txt\`$($has_smi && echo ", \`nvidia-smi-before.txt\`, \`nvidia-smi-after.txt\`, \`gpu-samples.csv\`")."
  } > "$out/summary.md.tmp" && mv "$out/summary.md.tmp" "$out/summary.md"
  {
    printf '{\n  "started": %s,\n  "device": %s,\n  "budget-s": %s,\n  "seconds": %s,\n' \
      "$(json_string "$started_at")" "$(json_string "$device")" "$budget" "$((now - started))"
    printf '  "engine": %s,\n  "devices": %s,\n' "$(json_string "$engine_line")" "$(json_string "$devices_line")"
    printf '  "baseline-device-memory-mib": %s,\n' "${baseline_mib:-null}"
    printf '  "passed": %s,\n  "verdict": %s,\n  "legs": [' "$([[ $failed -eq 0 ]] && echo true || echo false)" "$(json_string "$verdict")"
    while IFS=$'\t' read -r name status seconds peak note; do
      $first || printf ','
      first=false
      [[ "$seconds" == - ]] && seconds=null
      [[ "$peak" == - ]] && peak=null
      printf '\n    {"name": %s, "status": %s, "seconds": %s, "peak-device-memory-mib": %s, "notes": %s}' \
        "$(json_string "$name")" "$(json_string "$status")" "$seconds" "$peak" "$(json_string "$note")"
    done < "$out/legs.tsv"
    printf '\n  ]\n}\n'
  } > "$out/results.json.tmp" && mv "$out/results.json.tmp" "$out/results.json"
}

# One line of legs.tsv; "-" stands for an empty field, since read joins adjacent tabs.
record() { # NAME STATUS SECONDS PEAK NOTE
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "${4:--}" "$(printf '%s' "${5:--}" | one_line)" >> "$out/legs.tsv"
  say "$1: $2${5:+ ($5)}"
  write_reports
}

# The reason a command failed: mm1's own error line, else the log's last line.
failure_of() {
  local line
  line="$(grep -m 1 '^mm1: \(error\|internal error\)' "$1")"
  [[ -n "$line" ]] || line="$(grep -v '^\s*$' "$1" | tail -n 1)"
  printf '%s' "${line:0:300}"
}

# Runs one leg: leg NAME CAP CHECK -- COMMAND... The command's output goes to NAME.log; CHECK
# (a function given the log) prints the leg's notes and fails when its results are not right.
leg() {
  local name="$1" cap="$2" check="$3" left limit start end rc status note seconds
  shift 4
  [[ "$legs" == *",$name,"* ]] || return 0
  left=$((deadline - $(date +%s)))
  if ((left < 15)); then
    record "$name" "not run" "" "" "no time left in the ${budget} s budget"
    return 0
  fi
  cap=$((cap * cap_factor))
  limit=$((cap < left ? cap : left))
  say "$name: at most ${limit} s: $*"
  start="$(date +%s.%N)"
  timeout --kill-after=10 "$limit" "$@" > "$out/$name.log" 2>&1
  rc=$?
  end="$(date +%s.%N)"
  seconds="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')"
  if ((rc == 124 || rc == 137)); then
    status="timed out"
    note="stopped after ${limit} s; $(failure_of "$out/$name.log")"
  elif ((rc != 0)); then
    status="failed"
    note="exit $rc: $(failure_of "$out/$name.log")"
  elif note="$("$check" "$out/$name.log")"; then
    status="passed"
  else
    status="failed"
  fi
  record "$name" "$status" "$seconds" "$(peak_mib "$start" "$end")" "$note"
}

# ---- what each leg must show ---------------------------------------------------------------
# leg calls these by name, which shellcheck cannot follow.
# shellcheck disable=SC2317
{
check_version() {
  local engine_line devices_line
  engine_line="$(grep -m 1 '^engine' "$1")"
  devices_line="$(grep -m 1 '^devices: ' "$1")"
  echo "$engine_line; $devices_line"
  if [[ "$engine_line" != "engine PyTorch "* ]]; then
    echo "the engine did not load"
    return 1
  fi
  if [[ "$device" == gpu && ! "$devices_line" =~ ^devices:\ [0-9]+\ GPU ]]; then
    echo "the engine sees no GPU"
    return 1
  fi
}

# A number after "KEY": in a JSON line or file.
json_number() { grep -o "\"$1\": *[-0-9.eEN][-0-9.eEaN+]*" | head -n 1 | sed 's/.*: *//'; }

# The device a run was put on: the "model: ... on DEVICE" line of mm1 train, the "engine: DEVICE,"
# line of mm1 pretrain-encoder.
check_device() { # LOG
  local want="cpu()"
  [[ "$device" == gpu ]] && want="gpu(0)"
  if ! grep -q -e "^model: .* on $want" -e "^engine: $want," "$1"; then
    echo "not on $want: $(grep -m 1 -e '^model: ' -e '^engine: ' "$1")"
    return 1
  fi
}

# First and last logged loss of metrics.jsonl; fails unless both are finite and it went down.
check_loss() { # METRICS
  local first last rate lines
  [[ -s "$1" ]] || {
    echo "no $1"
    return 1
  }
  lines="$(wc -l < "$1")"
  first="$(head -n 1 "$1" | json_number loss)"
  last="$(tail -n 1 "$1" | json_number loss)"
  rate="$(tail -n 1 "$1" | json_number tokens-per-s)"
  if [[ -z "$rate" ]]; then
    rate="$(tail -n 1 "$1" | json_number images-per-s)"
    [[ -n "$rate" ]] && rate="$rate images/s" || rate="?"
  else
    rate="$rate tok/s"
  fi
  awk -v a="$first" -v b="$last" -v n="$lines" -v r="$rate" \
    'BEGIN {printf "loss %.4f -> %.4f over %d logged lines, last interval %s", a, b, n, r}'
  awk -v a="$first" -v b="$last" 'BEGIN {exit !(a == a + 0 && b == b + 0 && b < a)}' || {
    echo "the loss did not go down"
    return 1
  }
}

check_train() { # LOG; the run folder is runs/ plus the leg's name without "train-"
  local run
  run="$out/runs/$(basename "$1" .log | sed 's/^train-//')"
  check_device "$1" || return 1
  check_loss "$run/metrics.jsonl"
}

check_eval() {
  [[ -s "$out/eval-fp32/results.json" ]] || {
    echo "no eval-fp32/results.json"
    return 1
  }
  # the table's rows of whole tasks: "caption 0 CIDEr-D 12.30 ..."
  awk '$1 ~ /^(caption|vqa|text-core)$/ && $2 ~ /^[0-9]+$/ {printf "%s%s %s-shot %s", sep, $1, $2, $(NF - 2); sep = "; "}' "$1"
}

check_bench() {
  local json="$out/bench.json" where peak half size half_size step tokens mfu
  [[ -s "$json" ]] || {
    echo "no bench.json"
    return 1
  }
  where="$(grep -o '"device": *"[^"]*"' "$json" | sed 's/.*: *"//; s/"$//')"
  peak="$(json_number matmul-peak-flops < "$json")"
  half="$(json_number matmul-peak-fp16-flops < "$json")"
  size="$(json_number matmul-size < "$json")"
  half_size="$(json_number matmul-fp16-size < "$json")"
  step="$(json_number step-seconds < "$json")"
  tokens="$(json_number tokens-per-s < "$json")"
  mfu="$(json_number mfu < "$json")"
  awk -v w="$where" -v p="$peak" -v h="$half" -v n="$size" -v hn="$half_size" -v s="$step" -v t="$tokens" -v m="$mfu" '
    function rate(f) {return f >= 1e12 ? sprintf("%.1f TFLOP/s", f / 1e12) : sprintf("%.2f GFLOP/s", f / 1e9)}
    BEGIN {printf "on %s: matmul %d^3 float32 %s, %s; step %.4f s, %.0f tok/s, MFU %.1f%%",
      w, n, rate(p), (h == h + 0 ? sprintf("%d^3 float16 %s", hn, rate(h)) : "float16 not measured"),
      s, t, 100 * m}'
  if [[ "$device" == gpu && "$where" != gpu* ]]; then
    echo "; not on the GPU"
    return 1
  fi
}

check_pretrain() {
  check_device "$1" || return 1
  [[ -s "$out/runs/pretrain/encoder.safetensors" ]] || {
    echo "no encoder.safetensors"
    return 1
  }
  check_loss "$out/runs/pretrain/metrics.jsonl"
}
}

# ---- the legs ------------------------------------------------------------------------------
sets=(--set "mm1.device=$device")
leg version 60 check_version -- "$mm1" --version
if [[ "$legs" == *",version,"* ]] && ! grep -q '^engine PyTorch ' "$out/version.log"; then
  # what DJL said while loading, for a failed load on a machine that may not be had again soon
  timeout 60 "$mm1" --debug --version > "$out/version-debug.log" 2>&1
fi
train_sets=("${sets[@]}" --set "mm1.train.steps=$steps")
for setting in "${train_set[@]}"; do
  train_sets+=(--set "$setting")
done
leg train-fp32 100 check_train -- "$mm1" train "$train_conf" --out "$out/runs/fp32" "${train_sets[@]}"
leg eval-fp32 60 check_eval -- "$mm1" eval "$out/runs/fp32" --out "$out/eval-fp32" "${sets[@]}" "${eval_args[@]}"
if [[ "$bench_conf" == quick ]]; then
  bench_run=(--quick)
else
  bench_run=("$bench_conf")
fi
leg bench 120 check_bench -- "$mm1" bench "${bench_run[@]}" --json "$out/bench.json" "${sets[@]}" "${bench_args[@]}"
if [[ "$legs" == *",train-fp16-mixed,"* ]]; then
  precision=(--set mm1.train.precision=fp16-mixed)
  if [[ "$fp16" == off ]]; then
    record train-fp16-mixed skipped "" "" "MM1_CHECK_FP16=off"
  elif ! timeout 60 "$mm1" config show "$train_conf" "${train_sets[@]}" "${precision[@]}" > "$out/precision-probe.log" 2>&1; then
    record train-fp16-mixed skipped "" "" "this build has no mm1.train.precision = fp16-mixed: $(failure_of "$out/precision-probe.log")"
  else
    leg train-fp16-mixed 100 check_train -- "$mm1" train "$train_conf" --out "$out/runs/fp16-mixed" "${train_sets[@]}" "${precision[@]}"
  fi
fi
leg pretrain-encoder 60 check_pretrain -- "$mm1" pretrain-encoder "$pretrain_conf" --out "$out/runs/pretrain" \
  "${sets[@]}" --set "mm1.pretrain.steps=$pretrain_steps"

# ---- the machine, after --------------------------------------------------------------------
stop_sampler
if $has_smi; then
  timeout 30 nvidia-smi > "$out/nvidia-smi-after.txt" 2>&1
fi
write_reports
cat "$out/summary.md"
if cut -f 2 "$out/legs.tsv" | grep -qv -x -e passed -e skipped; then
  exit 1
fi
exit 0
