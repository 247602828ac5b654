/* version.h: the one place the version is written; the Makefile reads it too. */
#ifndef HW_VERSION_H
#define HW_VERSION_H

#define HW_VERSION "0.2.0"

#endif
