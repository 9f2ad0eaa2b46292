// The public library. Re-exports the value types of the engine modules so that most users
// import only `Dossier`.
@_exported import DossierAnalysis
@_exported import DossierIngest
