#!/usr/bin/env bash
# On a machine with an NVIDIA GPU (driver + nvcc): build the jar with the CUDA PTX, run the backend
# bit-equality tests (CUDA on the GPU, host-compiled CUDA numerics, nvcc, Aparapi, CPU) and the GPU benchmarks
# (quantize GB/s vs device copy; emulated GEMM vs cuBLAS SGEMM when cuBLAS loads).
# Usage: bench/gpu/run-gpu-checks.sh        (from anywhere; writes bench/gpu/results-<host>.txt)
# Exit status: 0 only if every backend test class ran all its tests with no failure and none skipped
# (a skipped CUDA test is reported as SKIPPED and fails the script: it proves nothing).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="bench/gpu/results-$(hostname).txt"
{
  echo "== $(date -u) $(hostname)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || echo "nvidia-smi not available"
  if command -v nvcc >/dev/null; then nvcc --version | tail -1; else echo "nvcc not on PATH (tries /usr/local/cuda/bin/nvcc)"; fi
} | tee "$out"
# 1. jar with PTX (profile nvcc is forced so that an nvcc outside /usr/local/cuda is used too)
mvn -B -q -Pnvcc -DskipTests package
unzip -l target/lowp.jar | grep -q 'lowp/kernels/gemm.ptx' || { echo "PTX missing from target/lowp.jar" | tee -a "$out"; exit 1; }
set +e
java -jar target/lowp.jar backends --backend cuda --check 2>&1 | tee -a "$out"
backends_rc=${PIPESTATUS[0]}
# 2. equality tests of the whole backend package; CI=true makes missing nvcc/g++/OpenCL a failure, not a skip
rm -f target/surefire-reports/*lowp.backend.*
CI=true mvn -B -Pnvcc test -Dtest='lowp/backend/**' -Dsurefire.failIfNoSpecifiedTests=false >>"$out" 2>&1
mvn_rc=$?
set -e
grep -E 'Tests run:|FAIL|ERROR' "$out" | tail -40 || true   # summary on the terminal; full log in $out
verdict=0
[ "$backends_rc" -eq 0 ] || { echo "backends --backend cuda --check: exit $backends_rc (CUDA not usable)" | tee -a "$out"; verdict=1; }
[ "$mvn_rc" -eq 0 ] || { echo "mvn test (lowp/backend/**): exit $mvn_rc (failures or errors, see $out)" | tee -a "$out"; verdict=1; }
for cls in CudaBackendTest CudaHostNumericsTest NvccCompileTest AparapiBackendTest CpuBackendTest AccAgreementTest \
           ProfileGemmSpecTest BackendsTest; do
  rep="target/surefire-reports/lowp.backend.$cls.txt"
  if [ ! -f "$rep" ]; then
    echo "$cls: FAIL (no surefire report: the class did not run)" | tee -a "$out"; verdict=1; continue
  fi
  line=$(grep -m1 'Tests run:' "$rep")
  run=$(sed -E 's/.*Tests run: ([0-9]+).*/\1/' <<<"$line")
  fail=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
  err=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
  skip=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$line")
  if [ "$fail" -ne 0 ] || [ "$err" -ne 0 ]; then
    echo "$cls: FAIL ($line)" | tee -a "$out"; verdict=1
  elif [ "$run" -eq 0 ] || [ "$skip" -ne 0 ]; then
    echo "$cls: SKIPPED ($skip of $run tests skipped; reasons in $out and $rep)" | tee -a "$out"; verdict=1
  else
    echo "$cls: PASS ($run tests)" | tee -a "$out"
  fi
done
if [ "$verdict" -ne 0 ]; then
  echo "CUDA == CPU: NOT VERIFIED (see the lines above)" | tee -a "$out"
  exit 1
fi
echo "CUDA == CPU: PASS" | tee -a "$out"
# 3. benchmarks (the cuBLAS baseline is skipped with a message when libcublas for JCublas cannot load)
mvn -B -q -f bench/pom.xml package -DskipTests
java -cp target/lowp.jar:bench/target/benchmarks.jar lowp.bench.gpu.CudaBench | tee -a "$out"
echo "results in $out"
