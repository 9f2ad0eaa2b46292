package enum _AnalysisPlaceholder {}
