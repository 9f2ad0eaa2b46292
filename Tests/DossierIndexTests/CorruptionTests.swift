import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Corruption")
struct CorruptionTests {
  /// A small segment with every kind of file, deletions included, in memory.
  static func fixture(_ kind: DirectoryKind = .memory) throws -> (any Directory, SegmentInfo) {
    let dir = try kind.make()
    var rng = SeededRandom(seed: 31)
    let docs = ModelCorpus.randomDocuments(&rng, count: 260, maxTokens: 6)
    let info = try ModelCorpus.write(docs, to: dir, name: "s", id: 0x1234)
    var dels = DeletionSet(docCount: info.docCount)
    dels.delete(1)
    try dels.write(to: dir, segment: "s", segmentID: info.id, generation: 1)
    return (dir, info)
  }

  /// Opens and verifies; returns the error.
  static func openAndVerify(_ dir: any Directory, verifyChecksums: Bool = true) -> Error? {
    do {
      let r = try SegmentReader.open(
        in: dir, segment: "s", deletionGeneration: 1, verifyChecksums: verifyChecksums)
      try r.verify()
      return nil
    } catch {
      return error
    }
  }

  @Test("the fixture is sound")
  func sound() throws {
    let (dir, _) = try Self.fixture()
    #expect(Self.openAndVerify(dir) == nil)
    // Some postings have full blocks and a skip table, so damage reaches them too.
    let r = try SegmentReader.open(in: dir, segment: "s")
    #expect((r.termInfo(field: 2, term: Array("the".utf8))?.docFreq ?? 0) >= 128)
  }

  @Test(
    "a flipped byte anywhere is reported as corruption naming the file",
    arguments: DirectoryKind.allCases,
    ["s.si", "s.dict", "s.doc", "s.pos", "s.store", "s.norm", "s.num", "s.1.del"])
  func flip(kind: DirectoryKind, file: String) throws {
    let (dir, _) = try Self.fixture(kind)
    defer { cleanUp(dir) }
    let original = try dir.readFile(file)
    var rng = SeededRandom(seed: UInt64(file.utf8.count))
    // Every byte of the header and footer, and a random sample of the body.
    var offsets = Array(0..<min(28, original.count)) + Array(max(0, original.count - 8)..<original.count)
    for _ in 0..<40 { offsets.append(Int.random(in: 0..<original.count, using: &rng)) }
    for offset in Set(offsets).sorted() {
      var damaged = original
      damaged[offset] ^= UInt8.random(in: 1...255, using: &rng)
      try dir.delete(file)
      try dir.writeFile(file, damaged)
      let error = Self.openAndVerify(dir)
      switch error {
      case IndexError.corrupt(let f, _)?: #expect(f == file, "byte \(offset)")
      default:
        Issue.record("byte \(offset) of \(file): expected corruption, got \(String(describing: error))")
      }
    }
    try dir.delete(file)
    try dir.writeFile(file, original)
    #expect(Self.openAndVerify(dir) == nil)
  }

  @Test("without checksums at open, verify() still finds damage", arguments: ["s.doc", "s.pos", "s.store"])
  func lazy(file: String) throws {
    let (dir, _) = try Self.fixture()
    var bytes = try dir.readFile(file)
    bytes[bytes.count / 2] ^= 0x55
    try dir.delete(file)
    try dir.writeFile(file, bytes)
    let error = Self.openAndVerify(dir, verifyChecksums: false)
    guard case IndexError.corrupt(let f, _)? = error else {
      Issue.record("expected corruption, got \(String(describing: error))")
      return
    }
    #expect(f == file)
  }

  @Test("truncated and missing files")
  func truncated() throws {
    for file in ["s.dict", "s.store", "s.si"] {
      let (dir, _) = try Self.fixture()
      let bytes = try dir.readFile(file)
      try dir.delete(file)
      try dir.writeFile(file, Array(bytes.dropLast(3)))
      guard case IndexError.corrupt(let f, _)? = Self.openAndVerify(dir) else {
        Issue.record("\(file): expected corruption")
        continue
      }
      #expect(f == file)
      try dir.delete(file)
      #expect(Self.openAndVerify(dir) is IndexError)
    }
  }

  @Test("a file of a future version is refused as such")
  func futureVersion() throws {
    let (dir, _) = try Self.fixture()
    var bytes = try dir.readFile("s.norm")
    let future = UInt8(_FileFormat.supportedVersions.upperBound + 1)
    bytes[8] = future
    // Recompute the checksum so that only the version is wrong.
    let crc = CRC32C.checksum(Array(bytes.dropLast(4)))
    withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[bytes.count - 4 + i] = $0[i] } }
    try dir.delete("s.norm")
    try dir.writeFile("s.norm", bytes)
    let error = Self.openAndVerify(dir)
    guard case IndexError.unsupportedVersion(let f, let found, _)? = error else {
      Issue.record("expected unsupportedVersion, got \(String(describing: error))")
      return
    }
    #expect(f == "s.norm" && found == UInt32(future))
  }

  @Test("files of another segment are refused")
  func mixedSegments() throws {
    let (dir, _) = try Self.fixture()
    let other = MemoryDirectory()
    var rng = SeededRandom(seed: 32)
    _ = try ModelCorpus.write(ModelCorpus.randomDocuments(&rng, count: 5), to: other, name: "s", id: 0x9999)
    try dir.delete("s.norm")
    try dir.writeFile("s.norm", try other.readFile("s.norm"))
    guard case IndexError.corrupt(let f, _)? = Self.openAndVerify(dir) else {
      Issue.record("expected corruption")
      return
    }
    #expect(f == "s.norm")
  }
}

@Suite("Damaged bytes past the checksums")
struct DamageRobustnessTests {
  /// Reads everything a search could read; errors are fine, crashes are not.
  static func walk(_ r: SegmentReader) {
    var it = r.allTerms()
    var terms = 0
    while it.next() && terms < 10_000 {
      terms += 1
      guard Int(it.field) < r.info.schema.count, r.info.schema[it.field].isIndexed else { continue }
      var c = r.postings(field: it.field, info: it.info)
      var steps = 0
      while c.doc != PostingsCursor.noMoreDocs && steps < 100_000 {
        _ = c.freq
        _ = c.withPositions { $0.count }
        _ = c.blockMaxNormalizedFreq(normBase: 0.25, normSlope: 0.01)
        c.forEachTermImpact { _, _ in }
        _ = c.shallowAdvance(to: c.doc &+ 3)
        c.advance(to: c.doc &+ UInt32(steps % 3))
        c.next()
        steps += 1
      }
    }
    for d in 0..<min(r.docCount, 1000) {
      _ = try? r.document(d)
      for f in r.info.schema.fields {
        _ = r.fieldLength(field: f.number, doc: d)
        _ = r.number(field: f.number, doc: d)
      }
    }
    _ = r.docs(field: 8, in: 0...Int64.max)
    var p = r.terms(field: 2, prefix: Array("a".utf8))
    while p.next() {}
    #expect((try? r.verify()) == nil)
  }

  @Test(
    "random byte flips in every file never crash a reader",
    arguments: ["s.dict", "s.doc", "s.pos", "s.store", "s.norm", "s.num"])
  func flips(file: String) throws {
    let (dir, _) = try CorruptionTests.fixture()
    let original = try dir.readFile(file)
    var rng = SeededRandom(seed: 77 + UInt64(file.utf8.count))
    for _ in 0..<60 {
      var damaged = original
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let at = Int.random(in: 20..<(original.count - 8), using: &rng)
        damaged[at] = UInt8.random(in: 0...255, using: &rng)
      }
      if damaged == original { continue }
      try dir.delete(file)
      try dir.writeFile(file, damaged)
      guard
        let r = try? SegmentReader.open(
          in: dir, segment: "s", deletionGeneration: 1, verifyChecksums: false, _neverChecksum: true)
      else { continue }
      Self.walk(r)
    }
  }
}
