#ifndef CPASSWORDHASH_H
#define CPASSWORDHASH_H
#include <argon2.h>
#endif
