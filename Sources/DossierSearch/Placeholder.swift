package enum _SearchPlaceholder {}
