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
