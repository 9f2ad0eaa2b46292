/// Where Lucene's `PorterStemmer` departs from the published Porter algorithm that libstemmer's
/// `porter` implements, applied to libstemmer's output.
///
/// Lucene's Java stemmer (like Martin Porter's own reference programs) changes two rules of
/// step 2: `-bli` becomes `-ble` (the paper has `-abli` to `-able`), and `-logi` becomes `-log`
/// (not in the paper), each when the stem before the suffix has a measure above zero. No later
/// step touches a word that ends in `-bli` or `-logi` in libstemmer's output, so it ended that
/// way at step 2 and the Lucene result is found by applying the departed rule there and
/// replaying steps 4 and 5 on what it leaves. Cost: O(word length), only for words that end in
/// `i`.
enum _LucenePorter {
  static func applyDepartures(_ w: inout [UInt8]) {
    let n = w.count
    guard n >= 4, w[n - 1] == 0x69 else { return }  // "i"
    if w[n - 4] == 0x6C, w[n - 3] == 0x6F, w[n - 2] == 0x67 {  // "logi" -> "log"
      if measure(w, upTo: n - 4) > 0 { w.removeLast() }
      return
    }
    guard w[n - 3] == 0x62, w[n - 2] == 0x6C else { return }  // "bli" -> "ble"
    guard measure(w, upTo: n - 3) > 0 else { return }
    w[n - 1] = 0x65
    // Step 4: "-able" and "-ible" go when the stem before them has a measure above one.
    if n >= 4, w[n - 4] == 0x61 || w[n - 4] == 0x69, measure(w, upTo: n - 4) > 1 {
      w.removeLast(4)
    } else {
      // Step 5a: a final "e" goes when the measure is above one, or one and the stem does
      // not end consonant-vowel-consonant.
      let m = measure(w, upTo: n - 1)
      if m > 1 || (m == 1 && !endsCVC(w, upTo: n - 1)) { w.removeLast() }
    }
    // Step 5b: "-ll" becomes "-l" when the measure is above one.
    let k = w.count
    if k >= 2, w[k - 1] == 0x6C, w[k - 2] == 0x6C, measure(w, upTo: k) > 1 { w.removeLast() }
  }

  /// True when `w[i]` is a consonant in Porter's sense: not a vowel, and `y` only after a vowel
  /// or at the start.
  static func isConsonant(_ w: [UInt8], _ i: Int) -> Bool {
    switch w[i] {
    case 0x61, 0x65, 0x69, 0x6F, 0x75: return false
    case 0x79: return i == 0 ? true : !isConsonant(w, i - 1)
    default: return true
    }
  }

  /// Porter's measure m of `w[0..<end]`: the number of vowel-consonant sequences in
  /// [C](VC)^m[V].
  static func measure(_ w: [UInt8], upTo end: Int) -> Int {
    var i = 0
    while i < end && isConsonant(w, i) { i += 1 }
    var m = 0
    while i < end {
      while i < end && !isConsonant(w, i) { i += 1 }
      guard i < end else { break }
      m += 1
      while i < end && isConsonant(w, i) { i += 1 }
    }
    return m
  }

  /// True when `w[0..<end]` ends consonant-vowel-consonant and the last is not w, x or y.
  static func endsCVC(_ w: [UInt8], upTo end: Int) -> Bool {
    guard end >= 3, isConsonant(w, end - 1), !isConsonant(w, end - 2), isConsonant(w, end - 3) else {
      return false
    }
    let last = w[end - 1]
    return last != 0x77 && last != 0x78 && last != 0x79
  }
}
