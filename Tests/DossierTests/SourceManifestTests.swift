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

  /// The hash notices any one changed byte, an added byte and a reordering, and its values
  /// are pinned (a change of function must come with a new manifest version; the two values
  /// were checked against a separate implementation of the definition in Index/README.md).
  @Test func contentHashNoticesChanges() {
    var rng = SeededRandom(seed: 44)
    var seen = Set<UInt64>()
    for length in [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000] {
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
      let h = contentHash(bytes)
      #expect(seen.insert(h).inserted, "length \(length)")
      #expect(contentHash(bytes + [0]) != h)
      for i in bytes.indices {
        var changed = bytes
        changed[i] ^= UInt8(1) << UInt8(i % 8)
        #expect(contentHash(changed) != h, "length \(length), byte \(i)")
      }
      if length >= 16 { #expect(contentHash(Array(bytes[8...] + bytes[..<8])) != h) }
    }
    #expect(contentHash([]) == 0x3FA4_2A0F_B274_D8EB)
    #expect(contentHash(Array("foobar".utf8)) == 0xD698_DDB6_9A55_9435)
  }

  /// A manifest of version 1 (FNV-1a hashes) is still read; writing gives version 2.
  @Test func version1IsRead() throws {
    var bytes = Self.sample().encode()
    #expect(bytes[0] == 2)
    bytes[0] = 1
    #expect(try SourceManifest.decode(bytes) == Self.sample())
    bytes[0] = 3
    #expect(throws: StoredDocument.DecodeError.self) { try SourceManifest.decode(bytes) }
  }
}
