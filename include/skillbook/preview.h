/* skillbook/preview.h -- moved into device.h; kept so old includes build. */
#include "skillbook/device.h"
