import DossierTestSupport
import Testing

@testable import DossierIngest

@Suite("File type sniffing")
struct FileTypeTests {
  @Test(arguments: [
    ("a.html", "<p>x</p>", DocumentType.html), ("a.HTM", "text", .html), ("a.xhtml", "x", .html),
    ("a.txt", "plain words", .text), ("a.text", "x", .text), ("a.md", "# T", .markdown),
    ("a.jsonl", "{}", .jsonl), ("noext", "just text", .text),
    ("saved.txt", "  <!DOCTYPE html><html><body>x", .html), ("page", "<html lang=en>", .html),
    ("x.md", "<div>markup first</div>", .html),
  ])
  func detectsByNameAndContent(name: String, content: String, expected: DocumentType) throws {
    #expect(try FileTypeSniffer.detect(name: name, prefix: Array(content.utf8)[...]) == expected)
  }

  @Test func nulBytesMeanBinary() {
    let bytes: [UInt8] = Array("looks like text".utf8) + [0, 1, 2]
    #expect(throws: IngestError.binary) { try FileTypeSniffer.detect(name: "a.txt", prefix: bytes[...]) }
  }

  @Test func mostlyControlBytesMeanBinary() {
    let bytes = [UInt8](repeating: 0x01, count: 50) + Array("abc".utf8)
    #expect(throws: IngestError.binary) { try FileTypeSniffer.detect(name: "a.html", prefix: bytes[...]) }
  }

  @Test func utf16WithBOMIsNotBinary() throws {
    var bytes: [UInt8] = [0xFF, 0xFE]
    for b in "<html><body>hi".utf8 { bytes += [b, 0] }
    #expect(try FileTypeSniffer.detect(name: "page.dat", prefix: bytes[...]) == .html)
  }

  @Test func extensions() {
    #expect(FileTypeSniffer.fileExtension("dir.v2/report.HTML") == "html")
    #expect(FileTypeSniffer.fileExtension(".hidden") == "")
    #expect(FileTypeSniffer.fileExtension("README") == "")
  }
}
