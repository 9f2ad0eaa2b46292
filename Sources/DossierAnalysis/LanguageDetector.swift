/// Guesses the language of a text from its scripts and its most frequent function words.
///
/// Light by design: it reads at most the first 500 words, tells scripts apart by their code
/// points (Han, Kana, Hangul, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Tamil, Armenian),
/// and Latin-script languages by counting marker words (`the`, `los`, `yang`, ...). It answers
/// nil when the text is too short or no language stands out, and the caller falls back to its
/// default. Malay and Indonesian share their function words and their stemmer: both come back
/// as `id`.
///
///     LanguageDetector.detect("La vigilancia de las cámaras en la ciudad")   // es
///
/// Cost: O(min(n, 500 words)); no allocation per word beyond a short `String` for Latin words.
public enum LanguageDetector {
  /// The marker languages, in a fixed order (bit i of a mask is `markerLanguages[i]`).
  static let markerLanguages: [String] = Stopwords.markers.keys.sorted()

  /// Marker words packed into a `UInt64` (their UTF-8 bytes, at most 8) to the mask of the
  /// languages they mark: a lookup without a `String`.
  static let markerTable: _MarkerTable = {
    var table: [UInt64: UInt32] = [:]
    for (i, language) in markerLanguages.enumerated() {
      for word in Stopwords.markers[language]! {
        let key = Array(word.utf8).withUnsafeBufferPointer { pack($0.baseAddress!, $0.count) }
        table[key, default: 0] |= 1 << i
      }
    }
    return _MarkerTable(table)
  }()

  /// Up to 7 bytes, ASCII letters lowercased, as one integer (length in the top byte so that
  /// a word and its prefix differ).
  @inline(__always)
  static func pack(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var key = UInt64(count) << 56
    for k in 0..<min(count, 7) {
      var b = p[k]
      if b &- 0x41 < 26 { b |= 0x20 }
      key |= UInt64(b) << (8 * UInt64(k))
    }
    return key
  }

  /// The language of `text`, or nil when it cannot tell.
  public static func detect(_ text: String) -> Language? {
    var text = text
    return text.withUTF8 { detect($0) }
  }

  /// The language of UTF-8 `text`, or nil when it cannot tell.
  public static func detect(_ text: UnsafeBufferPointer<UInt8>) -> Language? {
    var tokenizer = _WordTokenizer(text)
    var han = 0
    var kana = 0
    var hangul = 0
    var latin = 0
    var scripts: [String: Int] = [:]
    var serbian = 0
    var ukrainian = 0
    var votes = [Int](repeating: 0, count: markerLanguages.count)
    var words = 0
    let base = text.baseAddress!
    let latinOnly = Self.looksLatin(text)
    let markers = Self.markerTable
    let limit = latinOnly ? 500 : 2000
    while words < limit, let token = tokenizer.next() {
      words += 1
      // Stop early once one Latin-script language clearly leads in a text without other
      // scripts (a Chinese page may well open with English navigation).
      if latinOnly && words & 31 == 0, Self.clearLead(votes) { break }
      switch token.kind {
      case .ideographic: han += 1
      case .hiragana, .katakana: kana += 1
      case .hangul: hangul += 1
      case .word:
        let first = _decodeScalar(base, token.start, token.end).scalar
        if let script = Self.script(of: first) {
          scripts[script, default: 0] += 1
          if script == "ru" {
            var j = token.start
            while j < token.end {
              let (s, l) = _decodeScalar(base, j, token.end)
              switch s {
              case 0x0452, 0x045B, 0x045F, 0x0459, 0x045A, 0x0458, 0x0402, 0x040B, 0x040F, 0x0409, 0x040A,
                0x0408:
                serbian += 1
              case 0x0456, 0x0457, 0x0454, 0x0491, 0x0406, 0x0407, 0x0404, 0x0490:
                ukrainian += 1
              default: break
              }
              j += l
            }
          }
        } else {
          latin += 1
          if token.end - token.start <= 7 {
            let mask = markers[pack(base + token.start, token.end - token.start)]
            if mask != 0 { for i in 0..<votes.count where mask & (1 << i) != 0 { votes[i] += 1 } }
          }
        }
      default: break
      }
    }
    let cjk = han + kana + hangul
    // CJK characters are one token each; a CJK text has several per word of Latin.
    let otherScripts = scripts.values.reduce(0, +)
    if cjk > 0 && cjk >= latin + otherScripts {
      if kana * 10 >= cjk { return .japanese }
      if hangul * 2 >= cjk { return .korean }
      return .chinese
    }
    if let (script, count) = scripts.max(by: { $0.value < $1.value }), count > latin {
      if script == "ru" {
        if serbian > ukrainian && serbian > 0 { return Language("sr") }
        if ukrainian > 0 { return Language("uk") }
      }
      return Language(script)
    }
    var bestIndex = 0
    for i in votes.indices where votes[i] > votes[bestIndex] { bestIndex = i }
    let best = votes[bestIndex]
    guard best >= 2, best * 20 >= latin else { return nil }
    return Language(markerLanguages[bestIndex])
  }

  /// True when, in its first 8 KiB, the text has next to no characters of the scripts the
  /// detector tells apart by code point (judged by UTF-8 lead bytes alone, in one cheap pass).
  static func looksLatin(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let p = text.baseAddress else { return true }
    let (letters, other) = latinCounts(p, min(text.count, 8192))
    // Latin words average about five letters; other characters under a tenth of them.
    return other * 50 < letters
  }

  /// The ASCII letters and the lead bytes of Greek, Cyrillic, Armenian, Hebrew, Arabic and
  /// the Indic and CJK blocks among `count` bytes: 16 bytes a step in vector lanes (each lane
  /// counts to at most 128 before it is added up), then the tail one byte a step.
  static func latinCounts(_ p: UnsafePointer<UInt8>, _ count: Int) -> (letters: Int, other: Int) {
    typealias V = SIMD16<UInt8>
    var letters = 0
    var other = 0
    var i = 0
    while i + 16 <= count {
      var letterLanes = V()
      var otherLanes = V()
      var steps = 0
      while steps < 128 && i + 16 <= count {
        let v = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
        let isOther = (v &- 0xCE .< V(repeating: 0x0E)) .| (v &- 0xE0 .< V(repeating: 0x0E))
        let isLetter = (v | 0x20) &- 0x61 .< V(repeating: 26)
        otherLanes &+= V(repeating: 0).replacing(with: 1, where: isOther)
        letterLanes &+= V(repeating: 0).replacing(with: 1, where: isLetter)
        i += 16
        steps += 1
      }
      letters += Int(SIMD16<UInt16>(truncatingIfNeeded: letterLanes).wrappedSum())
      other += Int(SIMD16<UInt16>(truncatingIfNeeded: otherLanes).wrappedSum())
    }
    while i < count {
      let b = p[i]
      other &+= (b &- 0xCE < 0x0E || b &- 0xE0 < 0x0E) ? 1 : 0
      letters &+= (b | 0x20) &- 0x61 < 26 ? 1 : 0
      i += 1
    }
    return (letters, other)
  }

  static func clearLead(_ votes: [Int]) -> Bool {
    var first = 0
    var second = 0
    for n in votes {
      if n > first {
        second = first
        first = n
      } else if n > second {
        second = n
      }
    }
    return first >= 16 && first >= 3 * second
  }

  /// The language a non-Latin script implies, or nil for Latin and everything else.
  static func script(of scalar: UInt32) -> String? {
    switch scalar {
    case 0x0370...0x03FF, 0x1F00...0x1FFF: "el"
    case 0x0400...0x052F: "ru"
    case 0x0530...0x058F: "hy"
    case 0x0590...0x05FF: "he"
    case 0x0600...0x06FF, 0x0750...0x077F: "ar"
    case 0x0900...0x097F: "hi"
    case 0x0B80...0x0BFF: "ta"
    default: nil
    }
  }
}

/// The marker words' table: open addressing over packed keys with a multiplicative hash (a
/// `Dictionary` hashes each of up to 500 words per document with SipHash, which was most of the
/// detector's time when indexing). Immutable after construction. Cost: one multiply and
/// usually one probe per lookup.
struct _MarkerTable: Sendable {
  let keys: [UInt64]
  let masks: [UInt32]
  let shift: UInt64

  init(_ entries: [UInt64: UInt32]) {
    var bits = 4
    while 1 << bits < entries.count * 4 { bits += 1 }
    var keys = [UInt64](repeating: 0, count: 1 << bits)  // 0 is never a packed key (length byte)
    var masks = [UInt32](repeating: 0, count: 1 << bits)
    let shift = UInt64(64 - bits)
    for (key, mask) in entries {
      var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
      while keys[slot] != 0 { slot = (slot + 1) & (keys.count - 1) }
      keys[slot] = key
      masks[slot] = mask
    }
    self.keys = keys
    self.masks = masks
    self.shift = shift
  }

  /// The mask of the languages `key` marks, 0 for none.
  @inline(__always)
  subscript(_ key: UInt64) -> UInt32 {
    var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    while true {
      let k = keys[slot]
      if k == key { return masks[slot] }
      if k == 0 { return 0 }
      slot = (slot + 1) & (keys.count - 1)
    }
  }
}
