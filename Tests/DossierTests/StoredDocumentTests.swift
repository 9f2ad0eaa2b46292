import DossierTestSupport
import Testing

@testable import Dossier

@Suite("Stored document codec")
struct StoredDocumentTests {
  static let sample = Document(
    id: "reports/a.html", type: .html, path: "Samples/reports/a.html", encoding: "windows-1252",
    title: "Kampala’s “Safe City”", metadata: ["date": "2021-02-08", "author": "A. B.", "lang": "en"],
    headings: [Heading(level: 2, text: "Background"), Heading(level: 3, text: "Costs")],
    blocks: ["First block.", "", "Третий блок 监控"], warnings: ["repaired"])

  @Test func roundTrip() throws {
    let bytes = StoredDocument.encode(Self.sample)
    #expect(try StoredDocument.decode(bytes) == Self.sample)
    let bare = Document(id: "x", type: .jsonl, title: "")
    #expect(try StoredDocument.decode(StoredDocument.encode(bare)) == bare)
  }

  @Test func equalDocumentsHaveEqualBytes() {
    var other = Self.sample
    other.metadata = ["lang": "en", "author": "A. B.", "date": "2021-02-08"]
    #expect(StoredDocument.encode(other) == StoredDocument.encode(Self.sample))
  }

  @Test func everyTruncationIsAnErrorNotACrash() {
    let bytes = StoredDocument.encode(Self.sample)
    for n in 0..<bytes.count {
      #expect(throws: StoredDocument.DecodeError.self) { try StoredDocument.decode(Array(bytes.prefix(n))) }
    }
    #expect(throws: StoredDocument.DecodeError.self) { try StoredDocument.decode(bytes + [0]) }
  }

  @Test func wrongVersionIsReported() {
    var bytes = StoredDocument.encode(Self.sample)
    bytes[0] = 9
    #expect(throws: StoredDocument.DecodeError(offset: 0, reason: "unknown version 9")) {
      try StoredDocument.decode(bytes)
    }
  }
}
