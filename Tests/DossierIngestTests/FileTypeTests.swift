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

/// The byte scans that read eight bytes at a time against plain one-byte-at-a-time versions,
/// on random bytes of every kind of mix (text, control bytes, NULs, UTF-8, broken UTF-8).
@Suite struct ByteScanTests {
  static func referenceIsBinary(_ bytes: [UInt8]) -> Bool {
    let sample = bytes.prefix(8192)
    if sample.isEmpty { return false }
    var control = 0
    for b in sample {
      if b == 0 { return true }
      if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { control += 1 }
    }
    return control * 10 > sample.count
  }

  @Test func eightBytesAtATimeAgreesWithOneAtATime() {
    var rng = SeededRandom(seed: 77)
    let alphabets: [[UInt8]] = [
      Array("plain text, with words.\n\t".utf8),
      Array("text\u{1}\u{2}\u{7f}\u{1b}\u{0c}".utf8),
      Array("données ÷ 東京 🙂".utf8),
      [
        0x00, 0x41, 0x42, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x99, 0x82, 0x80, 0xFF, 0xC0, 0xED, 0xA0,
        0x80,
      ],
    ]
    for round in 0..<400 {
      let alphabet = alphabets[round % alphabets.count]
      let length = Int.random(in: 0...300, using: &rng)
      let bytes = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
      #expect(FileTypeSniffer.isBinary(bytes[...]) == Self.referenceIsBinary(bytes), "\(bytes)")
      let counts = TextDecoder.utf8SequenceCounts(bytes)
      let valid = String(validating: bytes, as: UTF8.self) != nil
      #expect((counts.invalid == 0) == valid, "\(bytes)")
    }
  }
}
