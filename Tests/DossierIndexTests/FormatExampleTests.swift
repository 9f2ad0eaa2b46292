import DossierTestSupport
import Testing

@testable import DossierIndex

#if canImport(Glibc)
  import Glibc
#endif

/// The tiny segment whose bytes Index/README.md shows and annotates, kept as a golden copy of
/// each format version under `Golden/v<version>`: the tests open and verify every version's
/// copy, and check that writing the same documents again gives the current version's bytes
/// (so a format change cannot go unnoticed: bump the version, keep the old golden files, add
/// new ones).
///
/// `DOSSIER_PRINT_FORMAT_EXAMPLE=1 swift test --filter FormatExampleTests` prints the hex dumps;
/// `DOSSIER_WRITE_GOLDEN=1` rewrites the golden files.
@Suite("Format example and golden segment")
struct FormatExampleTests {
  static let segmentID: UInt64 = 0x0123_4567_89AB_CDEF

  static func write(to dir: any Directory) throws {
    let schema = FieldSchema.standard
    let w = SegmentWriter(schema: schema)
    var doc = SegmentDocument(schema: schema)
    func tokens(_ field: Int, _ words: [String]) {
      for (i, word) in words.enumerated() { doc.text[field].append(Array(word.utf8), position: UInt32(i)) }
    }
    tokens(0, ["pegasus", "spyware"])
    tokens(2, ["nso", "sells", "pegasus"])
    doc.keywords[4] = [Array("r1".utf8)]
    doc.keywords[6] = [Array("en".utf8)]
    doc.numbers[8] = 19_000  // 2022-01-08
    doc.stored = Array("doc one".utf8)
    w.add(doc)
    doc.removeAll()
    tokens(0, ["camera"])
    tokens(2, ["police", "camera", "camera"])
    doc.keywords[4] = [Array("r2".utf8)]
    doc.keywords[6] = [Array("fr".utf8)]
    doc.stored = Array("doc two".utf8)
    w.add(doc)
    _ = try w.flush(to: dir, name: "seg_1", id: segmentID)
    var dels = DeletionSet(docCount: 2)
    dels.delete(1)
    try dels.write(to: dir, segment: "seg_1", segmentID: segmentID, generation: 1)
  }

  static var goldenPath: String { goldenPath(version: _FileFormat.version) }

  static func goldenPath(version: UInt32) -> String {
    let here = #filePath
    return String(here[..<here.lastIndex(of: "/")!]) + "/Golden/v\(version)"
  }

  @Test("the golden copy of every supported format version opens, verifies and reads", arguments: [1, 2, 3])
  func everyVersion(version: UInt32) throws {
    #expect(_FileFormat.supportedVersions.contains(version))
    let golden = try FileDirectory(path: Self.goldenPath(version: version))
    let reader = try SegmentReader.open(in: golden, segment: "seg_1", deletionGeneration: 1)
    try reader.verify()
    #expect(reader.docCount == 2 && reader.liveDocCount == 1)
    var c = reader.postings(field: 2, term: Array("camera".utf8))!
    #expect(c.doc == 1 && c.freq == 2 && c.positions() == [1, 2])
    #expect(reader.keywordDocs(field: 6, value: Array("en".utf8)) == [0])
    #expect(reader.number(field: 8, doc: 0) == 19_000)
    #expect(try reader.document(1) == Array("doc two".utf8))
  }

  @Test("the example segment, byte for byte, equals the golden copy of the current format version")
  func golden() throws {
    let dir = MemoryDirectory()
    try Self.write(to: dir)
    let env = { (name: String) in getenv(name).map { String(cString: $0) } }
    if env("DOSSIER_PRINT_FORMAT_EXAMPLE") == "1" {
      for name in try dir.listAll() {
        let bytes = try dir.readFile(name)
        print("== \(name) (\(bytes.count) bytes)")
        for row in stride(from: 0, to: bytes.count, by: 16) {
          let off = String(row, radix: 16)
          print(
            String(repeating: "0", count: 4 - off.count) + off + "  "
              + hex(bytes[row..<min(row + 16, bytes.count)]))
        }
      }
    }
    if env("DOSSIER_WRITE_GOLDEN") == "1" {
      mkdir(Self.goldenPath, 0o755)
      let golden = try FileDirectory(path: Self.goldenPath)
      for name in try golden.listAll() { try golden.delete(name) }
      for name in try dir.listAll() { try golden.writeFile(name, try dir.readFile(name)) }
    }
    let golden = try FileDirectory(path: Self.goldenPath)
    #expect(try golden.listAll() == dir.listAll())
    for name in try dir.listAll() {
      #expect(try golden.readFile(name) == dir.readFile(name), "\(name) differs from the golden copy")
    }
  }
}
