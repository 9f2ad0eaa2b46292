import DossierTestSupport
import Foundation
import Testing

@testable import DossierIngest

@Suite("Parallel ingestion")
struct IngestorTests {
  @Test func resultsKeepInputOrderWhateverTheThreadCount() throws {
    let t = try TempFolder()
    for i in 0..<60 {
      try t.write(String(format: "f%02d.txt", i), "Title \(i)\n\nbody \(i)")
    }
    let files = Walker().walk([t.path]).files
    let one = Ingestor(options: IngestOptions(threads: 1)).ingestAll(files)
    let many = Ingestor(options: IngestOptions(threads: 4)).ingestAll(files)
    #expect(one.map { $0.documents.map(\.title) } == many.map { $0.documents.map(\.title) })
    #expect(many.map { $0.documents.first?.title } == (0..<60).map { "Title \($0)" })
  }

  @Test func binaryTooLargeAndUnreadableAreReportedNotFatal() throws {
    let t = try TempFolder()
    try t.write("image.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])
    try t.write("big.txt", String(repeating: "x", count: 2000))
    try t.write("ok.txt", "fine")
    let files = Walker().walk([t.path]).files
    let results = Ingestor(options: IngestOptions(maxFileSize: 1000)).ingestAll(files)
    #expect(results.map(\.error) == [.tooLarge(size: 2000, limit: 1000), .binary, nil])
    #expect(results[2].documents.first?.title == "fine")
    let missing = Ingestor().ingest(
      SourceFile(path: t.path + "/nope.txt", id: "nope.txt", size: 0, modified: 0))
    #expect(missing.error?.reason == "unreadable")
  }
}
