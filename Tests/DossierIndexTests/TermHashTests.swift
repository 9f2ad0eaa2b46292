import DossierTestSupport
import Testing

@testable import DossierIndex

/// The in-memory term hash of a segment being built.
@Suite struct TermHashTests {
  /// `sortedTermIDs` sorts on the keys' first 8 bytes and compares whole keys only on a tie:
  /// the order must still be plain byte order (a key before its extensions), with keys that
  /// share long prefixes, hold zero bytes, or are shorter than 8 bytes.
  @Test(arguments: [UInt64(1), 2, 3])
  func termsSortInByteOrder(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let alphabet: [UInt8] = [0x00, 0x01, 0x61, 0x62, 0x7F, 0x80, 0xFF]
    var hash = _TermHash()
    var keys: [[UInt8]] = []
    var seen = Set<[UInt8]>()
    for _ in 0..<3_000 {
      let field = UInt8.random(in: 0...2, using: &rng)
      // Long shared prefixes are common: half the terms extend an earlier one.
      var term: [UInt8]
      if let base = keys.randomElement(using: &rng), Bool.random(using: &rng) {
        term = Array(base.dropFirst())
        for _ in 0..<Int.random(in: 0...3, using: &rng) { term.append(alphabet.randomElement(using: &rng)!) }
      } else {
        term = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
      }
      let t = term.withUnsafeBytes { hash.intern(field, $0) }
      let key = [field] + term
      if seen.insert(key).inserted {
        #expect(t == keys.count)
        keys.append(key)
      }
    }
    let sorted = hash.sortedTermIDs()
    #expect(sorted.count == keys.count)
    #expect(Set(sorted).count == keys.count)
    let expected = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
    let firstMisplaced = sorted.indices.first { sorted[$0] != expected[$0] }
    #expect(firstMisplaced == nil, "keys out of byte order from position \(firstMisplaced ?? -1)")
  }
}
