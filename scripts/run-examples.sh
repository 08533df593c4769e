#!/usr/bin/env bash
# Builds and runs every example; each checks its own result and exits non-zero when it is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
for example in spectral-poisson taylor-ode hessian-spectrum laplacian-1000; do
    echo "== $example"
    swift run "$example"
done
# Training is too slow in a debug build: the PINN example runs optimized.
echo "== burgers-pinn"
swift run -c release burgers-pinn
echo "== lj-melt"
swift run -c release lj-melt
echo "== learned-potential"
swift run -c release learned-potential
