#ifndef CPASSWORDHASH_H
#define CPASSWORDHASH_H

#include <argon2.h>
#include <stddef.h>

/// Hashes `phrase` with libcrypt using `setting` (a full stored hash or a bare setting string such as
/// "$6$salt"). The result is copied into `output` (NUL-terminated). The `struct crypt_data` work area is
/// allocated on the heap, wiped and freed here, so callers from Swift need not know its size.
/// Returns 0 on success, -1 when libcrypt cannot use the setting (unknown or malformed method),
/// -2 when memory could not be allocated, -3 when `output` is too small.
int cpasswordhash_crypt(const char *phrase, const char *setting, char *output, size_t output_size);

/// The buffer size `cpasswordhash_crypt` needs for its output (CRYPT_OUTPUT_SIZE).
size_t cpasswordhash_crypt_output_size(void);

#endif
