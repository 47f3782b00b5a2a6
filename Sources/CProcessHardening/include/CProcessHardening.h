#ifndef CPROCESSHARDENING_H
#define CPROCESSHARDENING_H

/// Marks the calling process as not dumpable (Linux `prctl(PR_SET_DUMPABLE, 0)`): no core file, and other
/// processes of the same user can no longer ptrace it or read its memory through /proc.
/// Returns 0 on success, -1 with errno set on failure; 0 without doing anything where prctl does not exist.
int cprocesshardening_set_not_dumpable(void);

/// 1 when the process is dumpable, 0 when not, -1 where this cannot be asked (no prctl).
int cprocesshardening_is_dumpable(void);

#endif
