/// What a token is made of, as the tokenizer saw it.
public enum TokenKind: UInt8, Sendable, Hashable, Codable, BitwiseCopyable, CustomStringConvertible {
  /// Letters, possibly with digits and word-internal punctuation (`don't`, `U.S`, `mp3`).
  case word
  /// Digits with their separators (`3.14`, `1,000`).
  case number
  /// One Han ideograph.
  case ideographic
  /// One Hiragana character.
  case hiragana
  /// A run of Katakana.
  case katakana
  /// A run of Hangul.
  case hangul
  /// A run of a Southeast Asian script written without spaces (Thai, Lao, Khmer, Myanmar).
  case southeastAsian
  /// An overlapping pair of CJK characters, or a lone one (made by the analyzer, not the
  /// tokenizer).
  case cjkBigram
  /// An emoji or pictographic symbol (`©`, `™`), with its modifiers and joined emoji: a token
  /// only when the analyzer asks for them (Lucene's StandardTokenizer emits them).
  case emoji

  public var description: String {
    switch self {
    case .word: "word"
    case .number: "number"
    case .ideographic: "ideographic"
    case .hiragana: "hiragana"
    case .katakana: "katakana"
    case .hangul: "hangul"
    case .southeastAsian: "southeast_asian"
    case .cjkBigram: "cjk"
    case .emoji: "emoji"
    }
  }

  /// True for the kinds that CJK bigramming combines.
  package var isCJK: Bool {
    switch self {
    case .ideographic, .hiragana, .katakana, .hangul: true
    default: false
    }
  }
}

/// A token as the tokenizer found it: a byte range of the source text.
package struct _RawToken: Sendable, Equatable {
  package var start: Int
  package var end: Int
  package var kind: TokenKind
  /// True when every byte of the token is ASCII (the analyzer's fast path).
  package var isASCII: Bool
}

/// Splits UTF-8 text into words following the Unicode word-boundary rules of UAX #29.
///
/// Letters and digits form words; apostrophes and mid-word punctuation join as the standard
/// says (`don't`, `U.S`, `3.14`, `1,000`, `foo_bar`); marks and format characters (a soft hyphen,
/// a zero-width joiner) stay inside the word they follow. Segments without a letter, digit or
/// ideograph (spaces, punctuation, symbols, emoji) are not tokens. Like Lucene's
/// StandardTokenizer, and beyond UAX #29, each Han ideograph and each Hiragana character is a
/// token of its own, Katakana and Hangul runs are tokens of their own even when touching Latin
/// letters, and a run of Thai, Lao, Khmer or Myanmar is one token.
///
///     let text = Array("Don't panic: 3.14 U.S. 東京".utf8)
///     text.withUnsafeBufferPointer { buffer in
///       var tokenizer = _WordTokenizer(buffer)
///       while let token = tokenizer.next() { print(token.start, token.end) }
///     }
///
/// Cost: O(n) in the bytes, one table lookup per character; ASCII bytes are never decoded.
/// Invalid UTF-8 bytes act as separators and never appear inside a token.
package struct _WordTokenizer {
  let p: UnsafePointer<UInt8>
  let n: Int
  var i: Int
  let tables: _UnicodeTables
  let ascii: UnsafeMutablePointer<UInt8>
  /// Emit pictographic sequences as `.emoji` tokens.
  let emoji: Bool

  package init(_ text: UnsafeBufferPointer<UInt8>, emoji: Bool = false) {
    self.emoji = emoji
    // An empty buffer may have no base address; point at a dummy byte with n == 0.
    p = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
    n = text.count
    i = 0
    tables = _UnicodeTables.shared
    ascii = tables.asciiClass
  }

  @inline(__always)
  func classAt(_ j: Int) -> (cls: _WordClass, length: Int) {
    let b = p[j]
    if b < 0x80 { return (unsafeBitCast(ascii[Int(b)], to: _WordClass.self), 1) }
    let (scalar, length) = _decodeScalar(p, j, n)
    return (tables.wordClass(of: scalar), length)
  }

  /// Skips extend, format and zero-width-joiner characters (rule WB4).
  @inline(__always)
  func skipIgnorable(_ j: Int) -> Int {
    var j = j
    while j < n, p[j] >= 0x80 {
      let (cls, length) = classAt(j)
      guard cls == .extend || cls == .format || cls == .zwj else { break }
      j += length
    }
    return j
  }

  @inline(__always)
  static func isAHLetter(_ c: _WordClass) -> Bool { c == .aLetter || c == .hebrewLetter }

  /// The next token, or nil at the end of the text.
  package mutating func next() -> _RawToken? {
    while i < n {
      let start = i
      let (cls, length) = classAt(i)
      switch cls {
      case .aLetter, .hebrewLetter, .numeric, .extendNumLet:
        if let token = scanWord(start: start, first: cls, length: length) { return token }
      case .ideographic, .hiragana:
        i = skipIgnorable(i + length)
        return _RawToken(
          start: start, end: i, kind: cls == .ideographic ? .ideographic : .hiragana, isASCII: false)
      case .katakana, .hangul, .southeastAsian:
        var j = skipIgnorable(i + length)
        while j < n {
          let (c2, l2) = classAt(j)
          guard c2 == cls else { break }
          j = skipIgnorable(j + l2)
        }
        i = j
        let kind: TokenKind = cls == .katakana ? .katakana : cls == .hangul ? .hangul : .southeastAsian
        return _RawToken(start: start, end: j, kind: kind, isASCII: false)
      case .pictographic where emoji:
        // An emoji with its modifiers, and further emoji joined by zero-width joiners.
        var j = i + length
        while j < n {
          let (c2, l2) = classAt(j)
          if c2 == .extend || c2 == .format {
            j += l2
          } else if c2 == .zwj, j + l2 < n, classAt(j + l2).cls == .pictographic {
            j += l2 + classAt(j + l2).length
          } else {
            break
          }
        }
        i = j
        return _RawToken(start: start, end: j, kind: .emoji, isASCII: false)
      default:
        i += length
      }
    }
    return nil
  }

  /// Scans a word starting at `start` (rules WB5 to WB13b) and moves `i` past it. Returns nil
  /// for a segment of connector punctuation alone (`___`).
  @inline(__always)
  mutating func scanWord(start: Int, first: _WordClass, length: Int) -> _RawToken? {
    var last = first
    var hasLetter = Self.isAHLetter(first)
    var hasDigit = first == .numeric
    var isASCII = length == 1
    var j = start + length
    while j < n {
      // ASCII letters and digits: the common case, without decoding.
      let b = p[j]
      if b < 0x80 {
        let c = unsafeBitCast(ascii[Int(b)], to: _WordClass.self)
        if c == .aLetter {
          if last == .aLetter || last == .numeric || last == .extendNumLet || last == .hebrewLetter {
            last = c
            hasLetter = true
            j += 1
            continue
          }
          break
        }
        if c == .numeric {
          if last == .aLetter || last == .numeric || last == .extendNumLet || last == .hebrewLetter {
            last = c
            hasDigit = true
            j += 1
            continue
          }
          break
        }
      }
      let k = skipIgnorable(j)
      if k != j { isASCII = false }
      j = k
      if j >= n { break }
      let (c, l) = classAt(j)
      if joins(last, c) {
        if Self.isAHLetter(c) { hasLetter = true } else if c == .numeric { hasDigit = true }
        if l > 1 { isASCII = false }
        last = c
        j += l
        continue
      }
      // WB6/WB7 and WB11/WB12: one mid character between two letters or two digits.
      let letterMid = Self.isAHLetter(last) && (c == .midLetter || c == .midNumLet || c == .singleQuote)
      let numberMid = last == .numeric && (c == .midNum || c == .midNumLet || c == .singleQuote)
      let hebrewQuote = last == .hebrewLetter && c == .doubleQuote
      if letterMid || numberMid || hebrewQuote {
        let k = skipIgnorable(j + l)
        if k < n {
          let (c3, l3) = classAt(k)
          if (letterMid && Self.isAHLetter(c3)) || (numberMid && c3 == .numeric)
            || (hebrewQuote && c3 == .hebrewLetter)
          {
            if l > 1 || l3 > 1 || k != j + l { isASCII = false }
            last = c3
            j = k + l3
            continue
          }
        }
      }
      // WB7a: a Hebrew letter keeps a following single quote.
      if last == .hebrewLetter && c == .singleQuote {
        j += l
        last = c
        continue
      }
      break
    }
    i = j
    guard hasLetter || hasDigit else { return nil }
    return _RawToken(start: start, end: j, kind: hasLetter ? .word : .number, isASCII: isASCII)
  }

  /// Rules WB5, WB8, WB9, WB10, WB13a and WB13b: pairs that never break.
  @inline(__always)
  func joins(_ a: _WordClass, _ b: _WordClass) -> Bool {
    switch b {
    case .aLetter, .hebrewLetter, .numeric:
      return a == .aLetter || a == .hebrewLetter || a == .numeric || a == .extendNumLet
    case .extendNumLet:
      return a == .aLetter || a == .hebrewLetter || a == .numeric || a == .extendNumLet
    default:
      return false
    }
  }
}
