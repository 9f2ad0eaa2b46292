import DossierTestSupport
import Testing

@testable import DossierIngest

@Suite("Text and Markdown extraction")
struct TextExtractionTests {
  func extract(_ text: String, markdown: Bool = false, path: String? = "notes/file.txt") -> Document {
    TextExtractor.extract(
      TextDecoder.decode(Array(text.utf8)), id: "file.txt", path: path, markdown: markdown)
  }

  @Test func shortFirstLineIsTheTitleAndBlocksSplitAtBlankLines() {
    let doc = extract("Safe City in Nairobi\n\nFirst   paragraph\nwraps here.\n\n\nSecond one.\n")
    #expect(doc.title == "Safe City in Nairobi")
    #expect(doc.blocks == ["First paragraph wraps here.", "Second one."])
    #expect(doc.type == .text)
  }

  @Test func longFirstLineIsNotATitle() {
    let line = String(repeating: "word ", count: 40)
    let doc = extract(line + "\n\nmore")
    #expect(doc.title == "file.txt")
    #expect(doc.blocks.count == 2)
  }

  @Test func headerLinesAfterTheTitleBecomeMetadata() {
    let doc = extract("Title here\n\nAuthor: Ana Pérez\nDate: 2021-03-04\n\nBody text.\nDate: not metadata")
    #expect(doc.metadata == ["author": "Ana Pérez", "date": "2021-03-04"])
    #expect(doc.blocks == ["Body text. Date: not metadata"])
  }

  @Test func crlfLineEndings() {
    let doc = extract("T\r\n\r\na\r\nb\r\n\r\nc")
    #expect(doc.title == "T")
    #expect(doc.blocks == ["a b", "c"])
  }

  @Test func markdownHeadingsListsAndInlineMarkup() {
    let md = """
      # Export controls

      ## The 2013 *Wassenaar* change

      Intrusion software and **IP network surveillance** were added, see [the list](https://x.example).

      - first item
      - second `item`
      1. numbered

      | Year | Vendor |
      |------|--------|
      | 2019 | Hikvision |

      ```
      code   kept
      ```
      """
    let doc = extract(md, markdown: true)
    #expect(doc.type == .markdown)
    #expect(doc.title == "Export controls")
    #expect(doc.headings == [Heading(level: 2, text: "The 2013 Wassenaar change")])
    #expect(
      doc.blocks == [
        "Intrusion software and IP network surveillance were added, see the list.",
        "first item", "second item", "numbered", "Year | Vendor", "2019 | Hikvision", "code kept",
      ])
  }

  @Test func markdownFrontMatter() {
    let doc = extract("---\ntitle: From front matter\nauthor: R. K.\n---\n\nBody.", markdown: true)
    #expect(doc.title == "From front matter")
    #expect(doc.metadata["author"] == "R. K.")
    #expect(doc.blocks == ["Body."])
  }

  @Test func emptyFileHasTheFileNameAsTitleAndNoBlocks() {
    let doc = extract("")
    #expect(doc.title == "file.txt")
    #expect(doc.blocks.isEmpty)
  }

  @Test func utf8BOMIsNotPartOfTheTitle() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Título\n\nCuerpo".utf8)
    let doc = TextExtractor.extract(TextDecoder.decode(bytes), id: "a", path: nil, markdown: false)
    #expect(doc.title == "Título")
  }

  @Test func whitespaceNormalization() {
    #expect(Whitespace.normalize("  a\u{00A0}\u{3000}b\u{200B}c \u{2029} d\t") == "a bc d")
    #expect(Whitespace.normalize("\u{FEFF}x") == "x")
    #expect(Whitespace.normalize(" \n ") == "")
  }
}

/// `Whitespace.normalize` against a plain model over Unicode scalars, on random mixes of
/// letters, every whitespace it folds and every character it drops.
@Suite struct WhitespaceModelTests {
  static let spaces: Set<UInt32> = Set(
    Array(0x09...0x0D) + [
      0x20, 0xA0, 0x85, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ] + Array(0x2000...0x200A))
  static let dropped: Set<UInt32> = [0x00, 0x200B, 0xFEFF]

  static func model(_ text: String) -> String {
    var out = ""
    var pending = false
    for s in text.unicodeScalars {
      if spaces.contains(s.value) {
        pending = !out.isEmpty
      } else if !dropped.contains(s.value) {
        if pending { out.append(" ") }
        pending = false
        out.unicodeScalars.append(s)
      }
    }
    return out
  }

  @Test func normalizeMatchesTheModel() {
    var rng = SeededRandom(seed: 12)
    let pieces =
      ["a", "Z", "é", "東", "🙂", ".", "\u{1F}"]
      + (Self.spaces.union(Self.dropped)).map {
        String(Unicode.Scalar($0)!)
      }
    for _ in 0..<500 {
      let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
        .joined()
      #expect(Whitespace.normalize(text) == Self.model(text), "\(Array(text.unicodeScalars.map(\.value)))")
    }
  }
}
