#ifndef DOSSIER_CLIBXML2_SHIM_H
#define DOSSIER_CLIBXML2_SHIM_H

/* libxml2 is built with ICU support, and its encoding.h then includes ICU's headers, whose
   types clash with the ICU copy inside Foundation ("UErrorCode has different definitions").
   Dossier never touches the ICU members of libxml2's structures (it only holds pointers to
   them), so the ICU part of the headers is switched off. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>

/* xmlFree is a global function-pointer variable in C; Swift 6 refuses to call it
   (shared mutable state), so the project frees libxml2 memory through this helper. */
static inline void dossier_xml_free(void *p) {
  if (p) xmlFree(p);
}

static void dossier_xml_ignore_generic(void *ctx, const char *msg, ...) {
  (void)ctx; (void)msg;
}

static void dossier_xml_ignore_structured(void *ctx, xmlErrorPtr err) {
  (void)ctx; (void)err;
}

/* Error handlers are per-thread state in libxml2: call this on every parsing thread so
   that broken markup never writes to stderr. */
static inline void dossier_xml_silence_errors(void) {
  xmlSetGenericErrorFunc(NULL, dossier_xml_ignore_generic);
  xmlSetStructuredErrorFunc(NULL, dossier_xml_ignore_structured);
}

#endif
