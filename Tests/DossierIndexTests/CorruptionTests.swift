import Testing

@testable import DossierIndex

@Suite("Corruption")
struct CorruptionTests {
  /// A small segment with every kind of file, deletions included, in memory.
  static func fixture(_ kind: DirectoryKind = .memory) throws -> (any Directory, SegmentInfo) {
    let dir = try kind.make()
    var rng = SeededRandom(seed: 31)
    let docs = ModelCorpus.randomDocuments(&rng, count: 140, maxTokens: 6)
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
    bytes[8] = 2
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
    #expect(f == "s.norm" && found == 2)
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
