import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Stored fields")
struct StoredFieldsTests {
  static func roundTrip(_ dir: any Directory, blobs: [[UInt8]], blockSize: Int) throws -> _StoredFieldsReader
  {
    let w = _StoredFieldsWriter(blockSize: blockSize)
    let out = try _IndexFileWriter(dir, name: "s.store", kind: "STOR", segmentID: 3)
    for (i, b) in blobs.enumerated() {
      w.add(b)
      if i % 7 == 0 { try w.drain(to: out) }
    }
    try w.finish(to: out)
    let f = try dir.openInput("s.store")
    _ = try _FileFormat.openBody(f, kind: "STOR", segmentID: 3, verifyChecksum: true)
    return try _StoredFieldsReader(
      data: UnsafeRawBufferPointer(rebasing: f.bytes[0..<f.count - 8]), file: f.name,
      docCount: UInt32(blobs.count))
  }

  @Test("random access and iteration return every blob", arguments: DirectoryKind.allCases, [64, 16 * 1024])
  func roundTrip(kind: DirectoryKind, blockSize: Int) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: UInt64(blockSize))
    let words = ["surveillance", "vendor", "report", "camera", "the", "of", "é", "北京"].map { Array($0.utf8) }
    var blobs: [[UInt8]] = []
    for i in 0..<300 {
      var b: [UInt8] = []
      let n = i % 50 == 0 ? 0 : i % 97 == 0 ? 40_000 : Int.random(in: 1...200, using: &rng)
      while b.count < n { b += words.randomElement(using: &rng)! + [32] }
      if i % 13 == 0 { b = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }  // incompressible
      blobs.append(b)
    }
    // Keep FileBytes alive through the reader's owner: reopen for each check.
    let w = _StoredFieldsWriter(blockSize: blockSize)
    let out = try _IndexFileWriter(dir, name: "s.store", kind: "STOR", segmentID: 3)
    for b in blobs { w.add(b) }
    try w.finish(to: out)
    let f = try dir.openInput("s.store")
    let r = try _StoredFieldsReader(
      data: UnsafeRawBufferPointer(rebasing: f.bytes[0..<f.count - 8]), file: f.name,
      docCount: UInt32(blobs.count))
    for i in (0..<blobs.count).shuffled(using: &rng) { #expect(try r.document(UInt32(i)) == blobs[i]) }
    var seen = 0
    try r.forEachDocument { d, b in
      #expect(Int(d) == seen)
      #expect(Array(b) == blobs[Int(d)])
      seen += 1
    }
    #expect(seen == blobs.count)
    #expect(w.storedBytes < w.rawBytes)
    withExtendedLifetime(f) {}
  }

  @Test("no documents")
  func empty() throws {
    let dir = MemoryDirectory()
    let w = _StoredFieldsWriter()
    let out = try _IndexFileWriter(dir, name: "s.store", kind: "STOR", segmentID: 3)
    try w.finish(to: out)
    let f = try dir.openInput("s.store")
    let r = try _StoredFieldsReader(
      data: UnsafeRawBufferPointer(rebasing: f.bytes[0..<f.count - 8]), file: f.name, docCount: 0)
    try r.forEachDocument { _, _ in Issue.record("no document expected") }
    withExtendedLifetime(f) {}
  }
}
