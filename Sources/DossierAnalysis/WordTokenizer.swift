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
  /// Whether stretches of ASCII are tokenized 64 bytes at a time (`_scanWindow`); off only in
  /// tests, which compare both ways.
  package var usesWindows = true
  // The window's tokens not yet returned: bit k stands for byte `windowBase + k`. `pendingStarts`
  // marks each token's first byte, `pendingEnds` its last; `windowLetters` its letters.
  var windowBase = 0
  var pendingStarts: UInt64 = 0
  var pendingEnds: UInt64 = 0
  var windowLetters: UInt64 = 0
  var windowDigits: UInt64 = 0
  /// Where to go on once the window's tokens are returned.
  var windowResume = 0
  /// No window is tried before this offset (a byte over 0x7F was found there).
  var noWindowBefore = 0

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
    while true {
      if pendingStarts != 0 {
        if let token = popWindowToken() { return token }
        continue
      }
      if usesWindows && i >= noWindowBefore && n - i >= 64 && scanWindow() { continue }
      guard i < n else { return nil }
      if let token = step() { return token }
    }
  }

  /// One step of the scalar scanner at `i`: the token that starts there, or nil after moving
  /// past what is no token.
  @inline(__always)
  mutating func step() -> _RawToken? {
    do {
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

  // MARK: ASCII windows

  /// Tokenizes the 64 bytes at `i` at once when they are all ASCII, by bit masks instead of a
  /// branch per byte: letters, digits and `_` form words; a `.`, `:`, `'` between two letters
  /// or a `,`, `;`, `.`, `'` between two digits joins them (rules WB6, WB7, WB11, WB12; the other
  /// rules concern characters outside ASCII). Tokens that end before the window's last two
  /// bytes (whose fate depends on what follows) become pending; `i` moves to where the window's
  /// certainty ends. Returns false, changing nothing, when the bytes are not all ASCII or the
  /// first token does not end inside the window (the scalar scanner takes it).
  ///
  /// Cost: about 16 word operations per 8 bytes and a few per token, with no branch per byte:
  /// the scalar scanner mispredicts at every word's end.
  mutating func scanWindow() -> Bool {
    let h: UInt64 = 0x8080_8080_8080_8080
    let ones: UInt64 = 0x0101_0101_0101_0101
    let raw = UnsafeRawPointer(p + i)
    var words: UInt64 = 0
    var letters: UInt64 = 0
    var digits: UInt64 = 0
    for k in 0..<8 {
      let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))
      if x & h != 0 {
        // Not all ASCII: the scalar scanner goes on up to past the first such byte.
        let firstHigh = (x & h).trailingZeroBitCount / 8
        noWindowBefore = i + 8 * k + firstHigh + 1
        return false
      }
      // Per byte, the high bit says "at least c" ((x | 0x80) - c) or "at most c" ((c | 0x80) - x).
      let lower = x | 0x2020_2020_2020_2020
      let letter = ((lower | h) &- 0x61 &* ones) & ((0x7A &* ones | h) &- lower) & h
      let digit = ((x | h) &- 0x30 &* ones) & ((0x39 &* ones | h) &- x) & h
      let underscore = ((x | h) &- 0x5F &* ones) & ((0x5F &* ones | h) &- x) & h
      // Gather the high bits into 8 bits, byte 0 lowest.
      let shift = UInt64(8 * k)
      letters |= (((letter >> 7) &* 0x0102_0408_1020_4080) >> 56) << shift
      digits |= (((digit >> 7) &* 0x0102_0408_1020_4080) >> 56) << shift
      words |= ((((letter | digit | underscore) >> 7) &* 0x0102_0408_1020_4080) >> 56) << shift
    }
    // Mid-word punctuation: a byte that is no word character, between two that are.
    var between = ~words & (words << 1) & (words >> 1)
    while between != 0 {
      let k = between.trailingZeroBitCount
      between &= between - 1
      let b = p[i + k]
      let around: UInt64 = 1 << (k - 1) | 1 << (k + 1)
      if (b == 0x2E || b == 0x3A || b == 0x27) && letters & around == around {
        words |= 1 << k
      } else if (b == 0x2C || b == 0x3B || b == 0x2E || b == 0x27) && digits & around == around {
        words |= 1 << k
      }
    }
    // A token is certain when its last byte is at most 61: the byte after it (at most 62) was
    // judged with its own neighbour in the window.
    let starts = words & ~(words << 1)
    let ends = words & ~(words >> 1)
    var certain: UInt64 = (1 << 62) - 1
    var resume = i + 62
    if ends & ~certain != 0 {
      // The last token may go on: it is left for later, from its start.
      let lastStart = 63 - starts.leadingZeroBitCount
      if lastStart == 0 { return false }
      certain = (1 << lastStart) - 1
      resume = i + lastStart
    }
    windowBase = i
    pendingStarts = starts & certain
    pendingEnds = ends & certain
    windowLetters = letters
    windowDigits = digits
    windowResume = resume
    if pendingStarts == 0 { i = resume }
    return true
  }

  /// The window's next token (its first pending one), or nil when that one has no letter or
  /// digit (`___`); moves `i` on once the window is done.
  @inline(__always)
  mutating func popWindowToken() -> _RawToken? {
    let first = pendingStarts.trailingZeroBitCount
    let last = pendingEnds.trailingZeroBitCount
    pendingStarts &= pendingStarts - 1
    pendingEnds &= pendingEnds - 1
    if pendingStarts == 0 { i = windowResume }
    let span: UInt64 = (last == 63 ? UInt64.max : (1 << (last + 1)) - 1) & ~((1 << first) - 1)
    let hasLetter = windowLetters & span != 0
    guard hasLetter || windowDigits & span != 0 else { return nil }
    return _RawToken(
      start: windowBase + first, end: windowBase + last + 1, kind: hasLetter ? .word : .number, isASCII: true)
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
