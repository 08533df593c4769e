// Threads: a hint to the CPU inside a spin-wait loop (x86 `pause`: lets the sibling hyper-thread run
// and avoids a memory-order flush when the awaited value changes), and the CPUs a process may use.
#ifndef FLUXION_CPU_RELAX_H
#define FLUXION_CPU_RELAX_H

static inline void fluxion_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

// The number of CPUs this process may run on (its affinity mask: `taskset`, cpusets), at least 1.
int fluxion_available_cpus(void);

#endif
