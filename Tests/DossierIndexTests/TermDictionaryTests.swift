import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Term dictionary")
struct TermDictionaryTests {
  static let schema = FieldSchema([
    FieldInfo(number: 0, name: "a", kind: .text),
    FieldInfo(number: 1, name: "b", kind: .keyword),
    FieldInfo(number: 2, name: "c", kind: .text, positions: false),
  ])

  static func randomKeys(_ rng: inout SeededRandom, count: Int) -> [[UInt8]] {
    let alphabet = Array("abcdeé".utf8)
    var keys = Set<[UInt8]>()
    while keys.count < count {
      let len = Int.random(in: 0...9, using: &rng)
      var k: [UInt8] = [UInt8.random(in: 0...2, using: &rng)]
      for _ in 0..<len { k.append(alphabet.randomElement(using: &rng)!) }
      keys.insert(k)
    }
    return keys.sorted { $0.lexicographicallyPrecedes($1) }
  }

  @Test(
    "lookup, iteration and prefix enumeration agree with a model", arguments: DirectoryKind.allCases,
    [0, 1, 63, 64, 65, 3000])
  func model(kind: DirectoryKind, count: Int) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: UInt64(count))
    let keys = Self.randomKeys(&rng, count: count)
    var infos: [TermInfo] = []
    var doc: UInt64 = 20
    var pos: UInt64 = 20
    let w = try _TermDictionaryWriter(dir, segment: "s", segmentID: 5, schema: Self.schema)
    for k in keys {
      let f = Self.schema[k[0]]
      let df = UInt32.random(in: 1...1000, using: &rng)
      doc += UInt64.random(in: 0...5000, using: &rng)
      if f.hasPositions { pos += UInt64.random(in: 0...5000, using: &rng) }
      let info = TermInfo(
        docFreq: df,
        totalTermFreq: f.hasFreqs ? UInt64(df) + UInt64.random(in: 0...100, using: &rng) : UInt64(df),
        docOffset: doc, posOffset: f.hasPositions ? pos : 0)
      infos.append(info)
      try w.add(k, info)
    }
    try w.finish()
    let file = try dir.openInput("s.dict")
    _ = try _FileFormat.openBody(file, kind: "DICT", segmentID: 5, verifyChecksum: true)
    let dict = try _TermDictionaryReader(
      data: UnsafeRawBufferPointer(rebasing: file.bytes[0..<file.count - 8]), file: file.name,
      schema: Self.schema)
    #expect(dict.termCount == UInt64(count))
    // Exact lookups, present and absent.
    for (k, info) in zip(keys, infos) { #expect(dict.lookup(k) == info) }
    let present = Set(keys)
    for _ in 0..<300 {
      let probe = Self.randomKeys(&rng, count: 1)[0]
      if !present.contains(probe) { #expect(dict.lookup(probe) == nil) }
    }
    #expect(dict.lookup([9]) == nil)
    // Ordered iteration.
    var it = dict.iterator()
    var got: [[UInt8]] = []
    while it.next() {
      got.append(it.key)
      #expect(it.info == infos[got.count - 1])
    }
    #expect(got == keys)
    #expect(it.error == nil)
    // Prefix enumeration equals a filtered model.
    for _ in 0..<50 {
      let base = keys.randomElement(using: &rng) ?? [0]
      let prefix = Array(base.prefix(Int.random(in: 1...max(1, base.count), using: &rng)))
      var pit = dict.iterator(from: prefix)
      var found: [[UInt8]] = []
      while pit.next(), pit.key.starts(with: prefix) { found.append(pit.key) }
      #expect(found == keys.filter { $0.starts(with: prefix) })
    }
  }
}
