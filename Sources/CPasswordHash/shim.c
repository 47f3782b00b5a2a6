#include "CPasswordHash.h"
