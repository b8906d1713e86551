# cmake/CheckLibharu.cmake -- the libharu version the pdf device was written for.
#
# src/devices/pdf-haru.c reaches past hpdf.h's API into libharu 2.3.0's
# internals (the object layer, fields of HPDF_Doc and of streams, a page's
# attr, the xref); a different version may compile and still write broken
# PDFs, or crash. So the build stops at configure time unless
# HPDF_INCLUDE_DIR/hpdf_version.h says exactly the version below
# (docs/pdf.md tells what to do on another one).
#
# Use: include(CheckLibharu) after find_path(HPDF_INCLUDE_DIR hpdf.h), or as
# a script: cmake -DHPDF_INCLUDE_DIR=DIR -P cmake/CheckLibharu.cmake
# (tests/cmake/check_libharu.sh runs it on fake headers).
# Sets SB_HPDF_VERSION to the version found.

set(SB_HPDF_REQUIRED "2.3.0")

if(NOT HPDF_INCLUDE_DIR OR NOT EXISTS "${HPDF_INCLUDE_DIR}/hpdf_version.h")
  message(FATAL_ERROR
    "libharu: no hpdf_version.h in '${HPDF_INCLUDE_DIR}'; skillbook needs "
    "libharu ${SB_HPDF_REQUIRED} with its headers (Debian: libhpdf-dev "
    "2.3.0). Point -DHPDF_INCLUDE_DIR= at the folder holding hpdf.h.")
endif()

file(STRINGS "${HPDF_INCLUDE_DIR}/hpdf_version.h" sb_hpdf_lines
     REGEX "^#define[ \t]+HPDF_(MAJOR|MINOR|BUGFIX)_VERSION[ \t]+[0-9]+")
set(sb_hpdf_parts)
foreach(part MAJOR MINOR BUGFIX)
  set(sb_hpdf_${part} "")
  foreach(line IN LISTS sb_hpdf_lines)
    if(line MATCHES "^#define[ \t]+HPDF_${part}_VERSION[ \t]+([0-9]+)")
      set(sb_hpdf_${part} "${CMAKE_MATCH_1}")
    endif()
  endforeach()
endforeach()
if(sb_hpdf_MAJOR STREQUAL "" OR sb_hpdf_MINOR STREQUAL ""
   OR sb_hpdf_BUGFIX STREQUAL "")
  message(FATAL_ERROR
    "libharu: cannot read the version from ${HPDF_INCLUDE_DIR}/hpdf_version.h "
    "(no HPDF_MAJOR/MINOR/BUGFIX_VERSION); skillbook needs libharu "
    "${SB_HPDF_REQUIRED}.")
endif()
set(SB_HPDF_VERSION "${sb_hpdf_MAJOR}.${sb_hpdf_MINOR}.${sb_hpdf_BUGFIX}")

if(NOT SB_HPDF_VERSION STREQUAL SB_HPDF_REQUIRED)
  message(FATAL_ERROR
    "libharu ${SB_HPDF_VERSION} found (${HPDF_INCLUDE_DIR}/hpdf_version.h), "
    "but skillbook's pdf device is written for libharu ${SB_HPDF_REQUIRED}: "
    "src/devices/pdf-haru.c uses its internal structures. Install libharu "
    "${SB_HPDF_REQUIRED} (Debian 12: libhpdf-dev) and point "
    "-DHPDF_INCLUDE_DIR= and -DHPDF_LIBRARY= at it, or port pdf-haru.c to "
    "${SB_HPDF_VERSION} and change SB_HPDF_REQUIRED in "
    "cmake/CheckLibharu.cmake (docs/pdf.md).")
endif()
message(STATUS "libharu ${SB_HPDF_VERSION}: the version pdf-haru.c is written for")
