#include "CProcessHardening.h"

#if defined(__linux__)
#include <sys/prctl.h>

int cprocesshardening_set_not_dumpable(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int cprocesshardening_is_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}
#else
int cprocesshardening_set_not_dumpable(void) {
    return 0;
}

int cprocesshardening_is_dumpable(void) {
    return -1;
}
#endif
