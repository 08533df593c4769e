// A hint to the CPU inside a spin-wait loop (x86 `pause`: lets the sibling hyper-thread run and
// avoids a memory-order flush when the awaited value changes).
#ifndef FLUXION_CPU_RELAX_H
#define FLUXION_CPU_RELAX_H

static inline void fluxion_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
