#!/usr/bin/env bash
# On a machine with an NVIDIA GPU (driver + nvcc): build the jar with the CUDA PTX, run the CUDA-vs-CPU
# bit-equality tests and the GPU benchmarks (quantize GB/s vs device copy; emulated GEMM vs cuBLAS SGEMM).
# Usage: bench/gpu/run-gpu-checks.sh        (from anywhere; writes bench/gpu/results-<host>.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="bench/gpu/results-$(hostname).txt"
{
  echo "== $(date -u) $(hostname)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || echo "nvidia-smi not available"
  command -v nvcc >/dev/null && nvcc --version | tail -1 || echo "nvcc not on PATH (tries /usr/local/cuda/bin/nvcc)"
} | tee "$out"
# 1. jar with PTX (profile nvcc is forced so that an nvcc outside /usr/local/cuda is used too)
mvn -B -q -Pnvcc -DskipTests package
unzip -l target/lowp.jar | grep -q 'lowp/kernels/gemm.ptx' || { echo "PTX missing from target/lowp.jar" | tee -a "$out"; exit 1; }
java -jar target/lowp.jar backends --backend cuda --check | tee -a "$out"
# 2. equality tests: CUDA (real GPU), host-compiled CUDA numerics, nvcc warnings, Aparapi, CPU
mvn -B -Pnvcc test -Dtest='lowp.backend.**' -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | tee -a "$out" | grep -E 'Tests run|FAIL|skipped' || true
grep -q 'Tests run: [1-9].*in lowp.backend.CudaBackendTest' target/surefire-reports/lowp.backend.CudaBackendTest.txt \
  && grep -q 'Failures: 0, Errors: 0' target/surefire-reports/lowp.backend.CudaBackendTest.txt \
  && echo "CUDA == CPU: PASS" | tee -a "$out" || { echo "CUDA == CPU: FAIL or skipped (see above)" | tee -a "$out"; exit 1; }
# 3. benchmarks
mvn -B -q -f bench/pom.xml package -DskipTests
java -cp target/lowp.jar:bench/target/benchmarks.jar lowp.bench.gpu.CudaBench | tee -a "$out"
echo "results in $out"
