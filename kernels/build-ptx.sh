#!/usr/bin/env bash
# Compiles every kernels/*.cu to PTX (packaged in the jar as /lowp/kernels/NAME.ptx and loaded by
# lowp.backend.CudaBackend through JCuda). Called by the Maven profile "nvcc" (auto-active when
# /usr/local/cuda/bin/nvcc exists; force with -Pnvcc). Without nvcc it prints a note and succeeds: the jar then
# has no PTX and the cuda backend reports "PTX ... is not packaged".
#
# Flags: -arch=compute_75 (PTX JIT-compiled by the driver for Turing and every newer GPU), --fmad=false (no
# float contraction; the numerics are integer-only anyway), all warnings are errors.
set -euo pipefail
out="${1:?usage: build-ptx.sh OUTPUT_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
NVCC="${NVCC:-}"
if [ -z "$NVCC" ]; then
  if command -v nvcc >/dev/null 2>&1; then NVCC=nvcc
  elif [ -x /usr/local/cuda/bin/nvcc ]; then NVCC=/usr/local/cuda/bin/nvcc
  else echo "[build-ptx] nvcc not found: the jar will not contain CUDA PTX"; exit 0; fi
fi
mkdir -p "$out"
for src in "$here"/*.cu; do
  name="$(basename "$src" .cu)"
  if [ "$out/$name.ptx" -nt "$src" ] && [ "$out/$name.ptx" -nt "$here/lowp_numerics.h" ] && [ "$out/$name.ptx" -nt "$here/lowp_ops.h" ]; then
    continue
  fi
  "$NVCC" -ptx --fmad=false -arch=compute_75 -Werror all-warnings -o "$out/$name.ptx" "$src"
  echo "[build-ptx] $name.cu -> $out/$name.ptx"
done
