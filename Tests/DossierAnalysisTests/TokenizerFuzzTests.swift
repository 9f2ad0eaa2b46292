import DossierTestSupport
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
