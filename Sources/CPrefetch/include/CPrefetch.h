#ifndef DOSSIER_CPREFETCH_H
#define DOSSIER_CPREFETCH_H

/// Asks the processor to bring the cache line holding `address` into its caches, for a read
/// soon. A hint only: it never faults, even on an address that is not mapped. Swift has no
/// spelling for the compiler's prefetch builtin, so this one-line inline function carries it.
static inline void dossier_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// The same for a write soon.
static inline void dossier_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
