import DossierTestSupport
import Testing

@testable import Dossier

@Suite("Source manifest")
struct SourceManifestTests {
  static func sample() -> SourceManifest {
    var m = SourceManifest()
    m.entries["reports/a.html"] = .init(
      size: 1200, modified: 1_700_000_000_123_456_789, hash: 0xDEAD_BEEF_0123_4567, status: .indexed,
      ids: ["a.html"])
    m.entries["briefs.jsonl"] = .init(
      size: 88, modified: -5, hash: 1, status: .indexed, ids: ["brief-1", "brief-2"])
    m.entries["bin.png"] = .init(size: 9, modified: 0, hash: 0, status: .failed, reason: "binary", ids: [])
    return m
  }

  @Test func roundTrip() throws {
    let m = Self.sample()
    #expect(try SourceManifest.decode(m.encode()) == m)
    #expect(try SourceManifest.decode(SourceManifest().encode()) == SourceManifest())
  }

  @Test func truncationIsAnError() {
    let bytes = Self.sample().encode()
    for n in 0..<bytes.count {
      #expect(throws: StoredDocument.DecodeError.self) { try SourceManifest.decode(Array(bytes.prefix(n))) }
    }
  }

  @Test func contentHashIsFNV1a() {
    // Published FNV-1a 64-bit test vectors.
    #expect(contentHash([]) == 0xcbf2_9ce4_8422_2325)
    #expect(contentHash(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
    #expect(contentHash(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
  }
}
