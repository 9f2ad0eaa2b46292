import DossierTestSupport
import Foundation
import Testing

@testable import DossierAnalysis

/// Randomized inputs: any byte string, analyzed by any profile, never crashes, and every
/// token's offsets fall on character boundaries inside the text, in order, around valid UTF-8.
@Suite struct TokenizerFuzzTests {
  /// Pieces that stress the rules: mid-word punctuation, marks, joiners, CJK, invalid bytes.
  static let pieces: [[UInt8]] =
    [
      "a", "Z", "7", "'", "’", ".", ",", ":", "_", "-", " ", "\n", "é", "e\u{301}", "\u{AD}", "\u{200D}",
      "\u{FE0F}", "東", "か", "カ", "ｶﾞ", "한", "ไทย", "א", "\"", "😀", "🇰", "ß", "İ", "ﬁ", "Ａ", "σ", "ς", "я",
      "١", "٫", "\u{0}",
    ].map { Array($0.utf8) } + [
      [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80],
    ]

  /// Character boundaries: where each valid sequence or each invalid byte starts (the
  /// decoder's own segmentation, itself checked against Swift's below).
  static func boundaries(_ bytes: [UInt8]) -> Set<Int> {
    var result: Set<Int> = [0, bytes.count]
    bytes.withUnsafeBufferPointer { b in
      var i = 0
      while i < b.count {
        result.insert(i)
        i += _decodeScalar(b.baseAddress!, i, b.count).length
      }
    }
    return result
  }

  @Test(arguments: [Analyzer.Profile.standard, .luceneEnglish])
  func anyBytesGiveWellFormedTokens(profile: Analyzer.Profile) {
    var rng = SeededRandom(seed: 0x5EED_0003)
    let session = AnalysisSession(Analyzer(profile: profile))
    var out = AnalyzedText()
    for round in 0..<3000 {
      var bytes: [UInt8] = []
      let length = Int.random(in: 0...40, using: &rng)
      for _ in 0..<length {
        if round % 3 == 0 {
          bytes.append(UInt8.random(in: 0...255, using: &rng))
        } else {
          bytes += Self.pieces.randomElement(using: &rng)!
        }
      }
      out.removeAll()
      let language = [Language.english, .spanish, .russian, .chinese, .japanese].randomElement(using: &rng)!
      bytes.withUnsafeBufferPointer { session.analyze($0, language: language, into: &out) }
      let boundaries = Self.boundaries(bytes)
      var lastStart = -1
      var lastPosition: UInt32 = 0
      for i in 0..<out.count {
        let start = Int(out.startOffsets[i])
        let end = Int(out.endOffsets[i])
        #expect(start < end && end <= bytes.count, "round \(round)")
        #expect(boundaries.contains(start) && boundaries.contains(end), "round \(round): \(bytes)")
        #expect(start >= lastStart, "round \(round)")
        #expect(out.positions[i] >= lastPosition)
        #expect(!out.termRange(i).isEmpty)
        // The source of a token is valid UTF-8, and so is its term.
        #expect(String(validating: bytes[start..<end], as: UTF8.self) != nil, "round \(round): \(bytes)")
        #expect(String(validating: out.termBytes[out.termRange(i)], as: UTF8.self) != nil)
        lastStart = start
        lastPosition = out.positions[i]
      }
      #expect(out.nextPosition >= (out.positions.last.map { $0 + 1 } ?? 0))
    }
  }

  @Test func theDecoderAcceptsExactlyValidUTF8() {
    var rng = SeededRandom(seed: 42)
    for _ in 0..<20000 {
      let bytes = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
        UInt8.random(in: 0x7E...0xF5, using: &rng)
      }
      let (scalar, length) = bytes.withUnsafeBufferPointer { _decodeScalar($0.baseAddress!, 0, $0.count) }
      let standard = String(validating: bytes[0..<length], as: UTF8.self)
      if scalar == 0xFFFD && length == 1 {
        // Rejected: the byte is not ASCII and no prefix of the bytes is one valid character.
        #expect(bytes[0] >= 0x80)
        for k in 1...bytes.count {
          #expect(String(validating: bytes[0..<k], as: UTF8.self)?.unicodeScalars.count != 1, "\(bytes)")
        }
      } else {
        #expect(standard?.unicodeScalars.first?.value == scalar)
        #expect(standard?.unicodeScalars.count == 1)
      }
    }
  }
}

/// The tokenizer's 64-byte ASCII windows (bit masks) against its scalar scanner, byte for byte.
@Suite struct TokenizerWindowTests {
  /// What the windows assume of ASCII: the word classes of the generated tables.
  @Test func asciiClassesAreWhatTheWindowsAssume() {
    let tables = _UnicodeTables.shared
    for b in 0..<128 {
      let cls = _WordClass(rawValue: tables.asciiClass[b])!
      let byte = UInt8(b)
      let expected: _WordClass
      switch byte {
      case 0x41...0x5A, 0x61...0x7A: expected = .aLetter
      case 0x30...0x39: expected = .numeric
      case 0x5F: expected = .extendNumLet
      case 0x3A: expected = .midLetter
      case 0x2E: expected = .midNumLet
      case 0x27: expected = .singleQuote
      case 0x2C, 0x3B: expected = .midNum
      default: expected = cls  // any other class: no word, no join
      }
      #expect(cls == expected, "byte \(b)")
      if expected == cls && !(0x41...0x5A).contains(byte) && !(0x61...0x7A).contains(byte)
        && !(0x30...0x39).contains(byte) && ![0x5F, 0x3A, 0x2E, 0x27, 0x2C, 0x3B].contains(byte)
      {
        let joining: [_WordClass] = [
          .aLetter, .hebrewLetter, .numeric, .extendNumLet, .midLetter, .midNumLet, .singleQuote, .midNum,
          .extend, .format, .zwj, .pictographic,
        ]
        #expect(!joining.contains(cls), "byte \(b) has class \(cls)")
      }
    }
  }

  static func tokens(_ bytes: [UInt8], windows: Bool) -> [_RawToken] {
    bytes.withUnsafeBufferPointer { buffer in
      var tokenizer = _WordTokenizer(buffer)
      tokenizer.usesWindows = windows
      var out: [_RawToken] = []
      while let token = tokenizer.next() { out.append(token) }
      return out
    }
  }

  /// Every sample report's bytes (HTML, text, JSON Lines; several languages and encodings),
  /// as they are: the same tokens with windows as without.
  @Test func windowsAgreeOnTheSampleReports() throws {
    let folder = repositoryRoot + "/Samples/reports"
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(names.count >= 40)
    for name in names {
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
      let scalar = Self.tokens(bytes, windows: false)
      #expect(scalar.count > 50, "\(name)")
      #expect(scalar == Self.tokens(bytes, windows: true), "\(name)")
    }
  }

  /// Long texts mostly of ASCII words, numbers and mid-word punctuation (with some non-ASCII
  /// and runs longer than a window), where windows start and end everywhere.
  @Test(arguments: [UInt64(1), 2, 3, 4])
  func windowsAgreeWithTheScalarScanner(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let pieces: [[UInt8]] =
      [
        "a", "Zq", "word", "7", "42", "'", ".", ",", ":", ";", "_", "-", " ", "  ", "\n", "\"", "é", "東",
        "e\u{301}", "\u{AD}", "😀", "\u{0}", "__",
      ].map { Array($0.utf8) } + [[0xFF], [0x7F]]
    for round in 0..<400 {
      var bytes: [UInt8] = []
      let length = Int.random(in: 0...300, using: &rng)
      while bytes.count < length {
        if round % 7 == 0 && Int.random(in: 0..<20, using: &rng) == 0 {
          // A run of word characters longer than a window.
          bytes += (0..<Int.random(in: 60...140, using: &rng)).map { _ in
            UInt8.random(in: 0x61...0x7A, using: &rng)
          }
        } else if round % 2 == 0 {
          bytes += pieces.randomElement(using: &rng)!
        } else {
          // ASCII only, weighted toward what joins.
          bytes += [pieces[Int.random(in: 0..<17, using: &rng)]].flatMap { $0 }
        }
      }
      let scalar = Self.tokens(bytes, windows: false)
      let windowed = Self.tokens(bytes, windows: true)
      #expect(
        scalar == windowed, "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
  }
}

/// The analyzer's term cache compares and hashes keys with overlapping word loads.
@Suite struct TermCacheTests {
  /// A difference in any one byte, at every key length, is seen; equal keys are equal.
  @Test func keysDifferingInOneByteAreToldApart() {
    let cache = _TermCache(slotsLog2: 4)
    for count in 1...40 {
      let a = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      let copy = Array(a)
      let same = a.withUnsafeBufferPointer { x in
        copy.withUnsafeBufferPointer { y in cache.memcmpEqual(x.baseAddress!, y.baseAddress!, count) }
      }
      #expect(same, "length \(count)")
      for k in 0..<count {
        var b = a
        b[k] ^= 0x40
        let equal = a.withUnsafeBufferPointer { x in
          b.withUnsafeBufferPointer { y in cache.memcmpEqual(x.baseAddress!, y.baseAddress!, count) }
        }
        #expect(!equal, "length \(count), byte \(k)")
      }
    }
  }

  /// Every word goes in and comes back with its own term, across lengths and restarts.
  @Test func wordsOfEveryLengthComeBack() {
    var cache = _TermCache(slotsLog2: 6)
    var rng = SeededRandom(seed: 11)
    for _ in 0..<2_000 {
      let word = (0..<Int.random(in: 1...30, using: &rng)).map { _ in
        UInt8.random(in: 0x61...0x64, using: &rng)
      }
      let value = Array(word.reversed())
      word.withUnsafeBufferPointer { w in
        let hash = _TermCache.hash(w.baseAddress!, w.count)
        var index = cache.find(w.baseAddress!, w.count, hash: hash)
        if index < 0 { index = cache.insert(w.baseAddress!, w.count, hash: hash, value: value) }
        let entry = cache.entries[index]
        let stored = Array(cache.arena[Int(entry.valueStart)..<Int(entry.valueStart + entry.valueLength)])
        #expect(stored == value)
      }
    }
  }
}
