// Which vector width the CPU has, checked once per process (per translation unit).
#ifndef FLUXION_CPU_FEATURES_H
#define FLUXION_CPU_FEATURES_H

static inline int have_avx512(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f");
    }
    return cached;
}

static inline int have_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}

#endif
