// The public library: the one module most users import. It re-exports the value types of the
// engine modules and adds the entry points a program needs.
@_exported import DossierAnalysis
@_exported import DossierIngest
@_exported import DossierSearch
