#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Tests/Fuzz (the engine compiled with coverage instrumentation,
# AddressSanitizer and its runtime checks on) and runs each one, starting from the committed seed
# corpus made by NumPy (Tests/Fuzz/make_corpus.py). Fails on any crash, timeout or out-of-memory.
#
#   scripts/fuzz.sh                  # about 20 seconds per harness (what CI runs)
#   scripts/fuzz.sh 0 1000000        # until 10^6 executions per harness
#
# Findings are written to .build-fuzz/findings/<harness>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
runs=${2:--1}
build=.build-fuzz
flags=(-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)
# FluxionInput (the CLI's input files) depends on FluxionPINN, FluxionMD, FluxionNN and the engine, so building
# it builds every object a harness needs.
swift build -c release --target FluxionInput --build-path "$build" "${flags[@]}" >/dev/null
release="$build/release"
harnesses="NPYReader NPZReader TensorJSONReader PINNInputReader MDInputReader ExtendedXYZReader"
objects=$(find "$release"/{Fluxion,FluxionKernels,FluxionNN,FluxionPINN,FluxionMD,FluxionInput,RealModule,ComplexModule,_NumericsShims,CVectorMath}.build -name '*.o')
for harness in $harnesses; do
    swiftc -O -sanitize=fuzzer,address -parse-as-library Tests/Fuzz/$harness.swift $objects \
        -I "$release/Modules" -I Sources/CBLAS -I Sources/CFFTW -I Sources/CZlib \
        -I "$build/checkouts/swift-numerics/Sources/_NumericsShims/include" \
        -Xcc -fmodule-map-file="$release/CVectorMath.build/module.modulemap" -I Sources/CVectorMath/include \
        -lopenblas -llapacke -lfftw3 -lfftw3_threads -lz -lmvec -lm -o "$build/fuzz-$harness" 2>"$build/link-$harness.log" \
        || { cat "$build/link-$harness.log" >&2; exit 1; }
done
status=0
for harness in $harnesses; do
    case $harness in
        NPYReader) corpus=npy ;; NPZReader) corpus=npz ;; PINNInputReader) corpus=toml ;; MDInputReader) corpus=md ;;
        ExtendedXYZReader) corpus=xyz ;; *) corpus=json ;;
    esac
    work="$build/corpus/$corpus" findings="$build/findings/$harness"
    mkdir -p "$work" "$findings"
    cp -n Tests/Fuzz/corpus/$corpus/* "$work/" 2>/dev/null || true
    limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 -max_len=65536)
    if [ "$runs" -gt 0 ]; then budget=(-runs="$runs"); else budget=(-max_total_time="$seconds"); fi
    echo "fuzzing $harness: ${budget[*]}"
    if ! ASAN_OPTIONS=detect_leaks=0 "$build/fuzz-$harness" "${limits[@]}" "${budget[@]}" \
            -artifact_prefix="$findings/" -print_final_stats=1 "$work" 2>"$build/fuzz-$harness.log"; then
        echo "FAILED: $harness found a crash, timeout or out-of-memory; see $build/fuzz-$harness.log and $findings" >&2
        tail -40 "$build/fuzz-$harness.log" >&2
        status=1
    fi
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$build/fuzz-$harness.log" | tail -2
done
exit $status
