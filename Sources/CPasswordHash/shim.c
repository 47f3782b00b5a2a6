#include "CPasswordHash.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

int cpasswordhash_crypt(const char *phrase, const char *setting, char *output, size_t output_size) {
    struct crypt_data *data = calloc(1, sizeof(struct crypt_data));
    if (data == NULL) {
        return -2;
    }
    int status = 0;
    const char *result = crypt_rn(phrase, setting, data, (int)sizeof(struct crypt_data));
    /* crypt_rn returns NULL on failure; some builds return a "*0"/"*1" failure token instead. */
    if (result == NULL || result[0] == '*') {
        status = -1;
    } else {
        size_t length = strlen(result);
        if (length + 1 > output_size) {
            status = -3;
        } else {
            memcpy(output, result, length + 1);
        }
    }
    explicit_bzero(data, sizeof(struct crypt_data));
    free(data);
    return status;
}

size_t cpasswordhash_crypt_output_size(void) {
    return CRYPT_OUTPUT_SIZE;
}
