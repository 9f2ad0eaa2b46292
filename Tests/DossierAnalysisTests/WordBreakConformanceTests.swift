import DossierTestSupport
import Foundation
import Testing

@testable import DossierAnalysis

/// The tokenizer against the Unicode Consortium's own word-boundary test cases
/// (WordBreakTest.txt, from Debian's unicode-data package, which `.ci/run` installs).
///
/// A line such as `÷ 0061 × 0027 × 0061 ÷` gives the boundaries UAX #29 requires. The tokens
/// must be exactly the segments that contain a letter or digit. Lines are left out only where
/// the tokenizer departs from UAX #29 on purpose (documented on `_WordTokenizer`): Han, Kana,
/// Hangul and Southeast Asian characters, and an emoji joined by a zero-width joiner (WB3c),
/// which is not a word character here.
@Suite struct WordBreakConformanceTests {
  static let path = "/usr/share/unicode/auxiliary/WordBreakTest.txt"

  struct Case {
    var line: Int
    var scalars: [UInt32]
    /// Indices into `scalars` where a boundary is.
    var boundaries: [Int]
  }

  static func cases() throws -> [Case] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var cases: [Case] = []
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard !fields.isEmpty else { continue }
      var scalars: [UInt32] = []
      var boundaries: [Int] = []
      for f in fields {
        if f == "÷" {
          boundaries.append(scalars.count)
        } else if f != "×" {
          scalars.append(UInt32(f, radix: 16)!)
        }
      }
      cases.append(Case(line: n + 1, scalars: scalars, boundaries: boundaries))
    }
    return cases
  }

  @Test func tokensAreTheWordSegmentsOfUAX29() throws {
    let tables = _UnicodeTables.shared
    let cases = try Self.cases()
    #expect(cases.count > 1800)
    var checked = 0
    for c in cases {
      let classes = c.scalars.map { tables.wordClass(of: $0) }
      let departs = classes.contains {
        [.ideographic, .hiragana, .katakana, .hangul, .southeastAsian].contains($0)
      }
      if departs || c.scalars.contains(0x200D) { continue }
      // Surrogates cannot be encoded in UTF-8; the test file has none in word segments.
      guard c.scalars.allSatisfy({ Unicode.Scalar($0) != nil }) else { continue }
      var utf8: [UInt8] = []
      var byteOffset: [Int] = []
      for s in c.scalars {
        byteOffset.append(utf8.count)
        _appendUTF8(s, to: &utf8)
      }
      byteOffset.append(utf8.count)
      var expected: [Range<Int>] = []
      for (a, b) in zip(c.boundaries, c.boundaries.dropFirst()) where a < b {
        let isWord = classes[a..<b].contains { $0 == .aLetter || $0 == .hebrewLetter || $0 == .numeric }
        if isWord { expected.append(byteOffset[a]..<byteOffset[b]) }
      }
      var actual: [Range<Int>] = []
      utf8.withUnsafeBufferPointer { buffer in
        var tokenizer = _WordTokenizer(buffer)
        while let t = tokenizer.next() { actual.append(t.start..<t.end) }
      }
      #expect(actual == expected, "WordBreakTest.txt line \(c.line)")
      checked += 1
    }
    // Most of the file is checked, not skipped.
    #expect(checked > 1300)
  }
}
