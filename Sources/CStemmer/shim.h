#ifndef DOSSIER_CSTEMMER_SHIM_H
#define DOSSIER_CSTEMMER_SHIM_H
#include <libstemmer.h>
#endif
