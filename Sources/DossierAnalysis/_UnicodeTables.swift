/// The word class of a Unicode scalar: its UAX #29 Word_Break value, refined with the classes
/// Lucene's StandardTokenizer distinguishes (Han ideographs, Hiragana, Hangul, and the
/// Southeast Asian scripts written without spaces).
package enum _WordClass: UInt8, Sendable {
  case other = 0, cr, lf, newline, extend, zwj, regionalIndicator, format
  case katakana, hebrewLetter, aLetter, singleQuote, doubleQuote, midNumLet
  case midLetter, midNum, numeric, extendNumLet, wSegSpace, ideographic, hiragana
  case southeastAsian, hangul
  /// Extended_Pictographic (emoji and symbols such as ©), tokens only for Lucene's profile.
  case pictographic
}

/// Lookup tables built once from the generated ranges in `Generated/UnicodeTables.swift`.
///
/// Word classes for the first three planes (which hold every script and all common CJK
/// ideographs) sit in a flat byte table, 192 KiB; scalars above fall back to a binary search.
/// Case folding, diacritic folding and the NFKC quick check use a one-byte flag per BMP
/// scalar and a binary search for the mapping itself, which only letters that change reach.
/// Building everything takes about a millisecond, once per process.
package final class _UnicodeTables: @unchecked Sendable {
  package static let shared = _UnicodeTables()

  static let flatLimit: UInt32 = 0x30000
  /// Flag bits per BMP scalar.
  package static let hasCaseFold: UInt8 = 1
  package static let hasDiacriticFold: UInt8 = 2
  package static let nfkcMaybeChanged: UInt8 = 4
  package static let hasLowercase: UInt8 = 8

  package let wordClass: UnsafeMutablePointer<UInt8>
  package let bmpFlags: UnsafeMutablePointer<UInt8>
  /// Word classes of ASCII bytes, for the tokenizer's fast path.
  package let asciiClass: UnsafeMutablePointer<UInt8>

  private init() {
    wordClass = .allocate(capacity: Int(Self.flatLimit))
    wordClass.initialize(repeating: 0, count: Int(Self.flatLimit))
    var i = 0
    while i < _wordClassRanges.count {
      let first = _wordClassRanges[i]
      let last = _wordClassRanges[i + 1] & 0xFF_FFFF
      let cls = UInt8(_wordClassRanges[i + 1] >> 24)
      if first < Self.flatLimit {
        for cp in first...min(last, Self.flatLimit - 1) { wordClass[Int(cp)] = cls }
      }
      i += 2
    }
    asciiClass = .allocate(capacity: 128)
    for b in 0..<128 { asciiClass[b] = wordClass[b] }

    bmpFlags = .allocate(capacity: 0x10000)
    bmpFlags.initialize(repeating: 0, count: 0x10000)
    for key in _caseFoldKeys where key < 0x10000 { bmpFlags[Int(key)] |= Self.hasCaseFold }
    for key in _diacriticFoldKeys where key < 0x10000 { bmpFlags[Int(key)] |= Self.hasDiacriticFold }
    for key in _lowercaseKeys where key < 0x10000 { bmpFlags[Int(key)] |= Self.hasLowercase }
    i = 0
    while i < _nfkcMaybeChangedRanges.count {
      let first = _nfkcMaybeChangedRanges[i]
      let last = _nfkcMaybeChangedRanges[i + 1]
      if first < 0x10000 {
        for cp in first...min(last, 0xFFFF) { bmpFlags[Int(cp)] |= Self.nfkcMaybeChanged }
      }
      i += 2
    }
  }

  /// The word class of `scalar`. O(1) below U+30000, O(log n) above.
  @inline(__always)
  package func wordClass(of scalar: UInt32) -> _WordClass {
    if scalar < Self.flatLimit { return unsafeBitCast(wordClass[Int(scalar)], to: _WordClass.self) }
    return _WordClass(rawValue: Self.searchClass(scalar))!
  }

  static func searchClass(_ scalar: UInt32) -> UInt8 {
    var lo = 0
    var hi = _wordClassRanges.count / 2
    while lo < hi {
      let mid = (lo + hi) / 2
      if _wordClassRanges[2 * mid] <= scalar { lo = mid + 1 } else { hi = mid }
    }
    guard lo > 0 else { return 0 }
    let entry = _wordClassRanges[2 * (lo - 1) + 1]
    return scalar <= entry & 0xFF_FFFF ? UInt8(entry >> 24) : 0
  }

  /// True when NFKC might change `scalar` (quick check No or Maybe).
  @inline(__always)
  package func nfkcMaybeChanges(_ scalar: UInt32) -> Bool {
    if scalar < 0x10000 { return bmpFlags[Int(scalar)] & Self.nfkcMaybeChanged != 0 }
    var lo = 0
    var hi = _nfkcMaybeChangedRanges.count / 2
    while lo < hi {
      let mid = (lo + hi) / 2
      if _nfkcMaybeChangedRanges[2 * mid] <= scalar { lo = mid + 1 } else { hi = mid }
    }
    return lo > 0 && scalar <= _nfkcMaybeChangedRanges[2 * (lo - 1) + 1]
  }

  /// Calls `body` with the full case folding of `scalar` (itself when unchanged).
  @inline(__always)
  package func caseFold(_ scalar: UInt32, _ body: (UInt32) -> Void) {
    if scalar < 0x10000 && bmpFlags[Int(scalar)] & Self.hasCaseFold == 0 { return body(scalar) }
    Self.map(scalar, _caseFoldKeys, _caseFoldIndex, _caseFoldPool, body)
  }

  /// Calls `body` with the simple lowercase mapping of `scalar` (what Java's
  /// `Character.toLowerCase` and so Lucene's lowercase filter do: `ß` and `µ` stay).
  @inline(__always)
  package func lowercase(_ scalar: UInt32, _ body: (UInt32) -> Void) {
    if scalar < 0x10000 && bmpFlags[Int(scalar)] & Self.hasLowercase == 0 { return body(scalar) }
    Self.map(scalar, _lowercaseKeys, _lowercaseIndex, _lowercasePool, body)
  }

  /// Calls `body` with `scalar` stripped of its diacritics (itself when it has none).
  @inline(__always)
  package func foldDiacritics(_ scalar: UInt32, _ body: (UInt32) -> Void) {
    if scalar < 0x10000 && bmpFlags[Int(scalar)] & Self.hasDiacriticFold == 0 {
      // Combining diacritical marks left over from decomposed input are dropped.
      if scalar >= 0x300 && scalar <= 0x36F { return }
      return body(scalar)
    }
    Self.map(scalar, _diacriticFoldKeys, _diacriticFoldIndex, _diacriticFoldPool, body)
  }

  static func map(
    _ scalar: UInt32, _ keys: [UInt32], _ index: [UInt32], _ pool: [UInt32], _ body: (UInt32) -> Void
  ) {
    var lo = 0
    var hi = keys.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if keys[mid] < scalar { lo = mid + 1 } else { hi = mid }
    }
    guard lo < keys.count, keys[lo] == scalar else { return body(scalar) }
    let entry = Int(index[lo])
    for k in (entry >> 2)..<((entry >> 2) + (entry & 3)) { body(pool[k]) }
  }
}
