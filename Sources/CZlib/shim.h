// zlib, for reading and writing compressed NPZ archives.
#include <zlib.h>
