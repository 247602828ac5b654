/* version.h: heapwalk's version, the one place it is written: `heapwalk
 * --version`, the explorer's help screen and the man page's header say it. */
#ifndef HW_VERSION_H
#define HW_VERSION_H

#define HW_VERSION "0.2.0"

#endif
