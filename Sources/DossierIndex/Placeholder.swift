package enum _IndexPlaceholder {}
