import DossierTestSupport
import Testing

@testable import DossierIndex

/// A postings list as the model: doc, freq, positions.
struct ModelPosting: Equatable {
  var doc: UInt32
  var freq: UInt32
  var positions: [UInt32]
}

/// Random postings lists written with `_PostingsEncoder` and read back with `PostingsCursor`.
struct PostingsFixture {
  let dir: any Directory
  let doc: FileBytes
  let pos: FileBytes
  let lists: [[ModelPosting]]
  let infos: [TermInfo]
  let field: FieldInfo
  let lengths: [UInt32]

  init(dir: any Directory, seed: UInt64, field: FieldInfo, sizes: [Int]) throws {
    var rng = SeededRandom(seed: seed)
    let docCount = 2000
    lengths = (0..<docCount).map { _ in UInt32.random(in: 1...300, using: &rng) }
    var lists: [[ModelPosting]] = []
    for size in sizes {
      var docs = Set<UInt32>()
      // Sometimes dense (small gaps), sometimes sparse.
      let range = UInt32(Bool.random(using: &rng) ? min(docCount, size * 2) : docCount)
      while docs.count < size { docs.insert(UInt32.random(in: 0..<max(range, UInt32(size)), using: &rng)) }
      lists.append(
        docs.sorted().map { d in
          let f: UInt32 =
            field.hasFreqs ? (Bool.random(using: &rng) ? 1 : UInt32.random(in: 1...40, using: &rng)) : 1
          var ps: [UInt32] = []
          if field.hasPositions {
            var p = UInt32.random(in: 0...3, using: &rng)
            for _ in 0..<f {
              ps.append(p)
              p += UInt32.random(in: 0...(Bool.random(using: &rng) ? 3 : 5000), using: &rng)
            }
          }
          return ModelPosting(doc: d, freq: f, positions: ps)
        })
    }
    let docOut = try _IndexFileWriter(dir, name: "t.doc", kind: "DOCS", segmentID: 1)
    let posOut = try _IndexFileWriter(dir, name: "t.pos", kind: "POSN", segmentID: 1)
    var enc = _PostingsEncoder(docOut: docOut, posOut: posOut, field: field)
    var infos: [TermInfo] = []
    for list in lists {
      for p in list {
        try enc.add(doc: p.doc, freq: p.freq, fieldLength: lengths[Int(p.doc)], positions: p.positions)
      }
      infos.append(try enc.finishTerm())
    }
    try docOut.finish()
    try posOut.finish()
    self.dir = dir
    self.lists = lists
    self.infos = infos
    self.field = field
    doc = try dir.openInput("t.doc")
    pos = try dir.openInput("t.pos")
    _ = try _FileFormat.openBody(doc, kind: "DOCS", segmentID: 1, verifyChecksum: true)
    _ = try _FileFormat.openBody(pos, kind: "POSN", segmentID: 1, verifyChecksum: true)
  }

  func cursor(_ i: Int, lengthColumn: LengthColumn?) -> PostingsCursor {
    PostingsCursor(
      owner: nil, docData: UnsafeRawBufferPointer(rebasing: doc.bytes[0..<doc.count - 8]),
      posData: UnsafeRawBufferPointer(rebasing: pos.bytes[0..<pos.count - 8]), info: infos[i], field: field,
      lengths: lengthColumn)
  }
}

@Suite("Postings")
struct PostingsTests {
  static let fields = [
    FieldInfo(number: 0, name: "text", kind: .text),
    FieldInfo(number: 0, name: "nopos", kind: .text, positions: false),
    FieldInfo(number: 0, name: "kw", kind: .keyword),
  ]
  static let sizes = [1, 2, 3, 4, 5, 127, 128, 129, 131, 132, 255, 256, 300, 1000, 1999]

  @Test("iteration returns every posting with its positions", arguments: DirectoryKind.allCases, [0, 1, 2])
  func iterate(kind: DirectoryKind, fieldIndex: Int) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    let field = Self.fields[fieldIndex]
    let fx = try PostingsFixture(dir: dir, seed: UInt64(fieldIndex) + 100, field: field, sizes: Self.sizes)
    for (i, list) in fx.lists.enumerated() {
      #expect(fx.infos[i].docFreq == UInt32(list.count))
      #expect(fx.infos[i].totalTermFreq == list.reduce(0) { $0 + UInt64($1.freq) })
      var c = fx.cursor(i, lengthColumn: nil)
      var got: [ModelPosting] = []
      while c.doc != PostingsCursor.noMoreDocs {
        got.append(ModelPosting(doc: c.doc, freq: c.freq, positions: c.positions()))
        c.next()
      }
      #expect(!c.isCorrupt)
      #expect(got == list)
      #expect(c.next() == PostingsCursor.noMoreDocs)
    }
  }

  @Test("advance and shallow advance agree with a model", arguments: DirectoryKind.allCases)
  func advance(kind: DirectoryKind) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    let field = Self.fields[0]
    let fx = try PostingsFixture(dir: dir, seed: 7, field: field, sizes: Self.sizes)
    var lengthBytes = _ByteBuffer()
    for l in fx.lengths { lengthBytes.u32(l) }
    var rng = SeededRandom(seed: 8)
    lengthBytes.bytes.withUnsafeBytes { lb in
      let column = LengthColumn(base: lb.baseAddress, width: 4, count: fx.lengths.count)
      for (i, list) in fx.lists.enumerated() {
        for _ in 0..<8 {
          var c = fx.cursor(i, lengthColumn: column)
          var target: UInt32 = 0
          var modelIndex = 0
          while true {
            target += UInt32.random(in: 0...(Bool.random(using: &rng) ? 3 : 400), using: &rng)
            // Shallow advance first: the block bounds must cover every doc up to its last doc.
            let lastInBlock = c.shallowAdvance(to: target)
            if lastInBlock != PostingsCursor.noMoreDocs {
              // The block's impacts are the frontier of its documents' (freq, length) pairs.
              let k = list.firstIndex { $0.doc == lastInBlock }.map { $0 / 128 }
              #expect(k != nil)
              let block = list[(k ?? 0) * 128..<min(list.count, ((k ?? 0) + 1) * 128)]
              let expected = _Impact.frontier(
                block.map { _Impact(freq: $0.freq, length: fx.lengths[Int($0.doc)]) })
              var impacts: [_Impact] = []
              c.forEachBlockImpact { impacts.append(_Impact(freq: $0, length: $1)) }
              if list.count >= 128 {
                #expect(impacts == expected)
              } else {
                #expect(_Impact.frontier(impacts) == expected)
              }
              let best = expected.map { Double($0.freq) / (0.25 + 0.01 * Double($0.length)) }.max() ?? 0
              #expect(c.blockMaxNormalizedFreq(normBase: 0.25, normSlope: 0.01) == best)
            } else {
              #expect(!list.contains { $0.doc >= target })
            }
            let d = c.advance(to: target)
            while modelIndex < list.count && list[modelIndex].doc < target { modelIndex += 1 }
            if modelIndex == list.count {
              #expect(d == PostingsCursor.noMoreDocs)
              break
            }
            #expect(d == list[modelIndex].doc)
            #expect(c.freq == list[modelIndex].freq)
            if Bool.random(using: &rng) { #expect(c.positions() == list[modelIndex].positions) }
            if Bool.random(using: &rng) {
              let n = c.next()
              modelIndex += 1
              #expect(n == (modelIndex < list.count ? list[modelIndex].doc : PostingsCursor.noMoreDocs))
              if n == PostingsCursor.noMoreDocs { break }
              target = n
            }
          }
          #expect(!c.isCorrupt)
        }
        // Whole-list bounds.
        var c = fx.cursor(i, lengthColumn: column)
        var termImpacts: [_Impact] = []
        c.forEachTermImpact { termImpacts.append(_Impact(freq: $0, length: $1)) }
        #expect(
          !termImpacts.isEmpty && termImpacts.count <= max(list.count < 128 ? 127 : 0, _Impact.maxCount))
        for p in list {
          #expect(termImpacts.contains { p.freq <= $0.freq && fx.lengths[Int(p.doc)] >= $0.length })
        }
        #expect(c.blockCount == (list.count + 127) / 128)
      }
    }
  }

  @Test("advance to a target below the last shallow target still finds every doc")
  func advanceBelowShallow() throws {
    let dir = MemoryDirectory()
    let fx = try PostingsFixture(dir: dir, seed: 12, field: Self.fields[0], sizes: [1500])
    let list = fx.lists[0]
    let low = list[300].doc
    var c = fx.cursor(0, lengthColumn: nil)
    c.shallowAdvance(to: list[1200].doc)
    #expect(c.advance(to: low) == low)
    #expect(c.next() == list[301].doc)
  }

  @Test("damaged postings stop the cursor instead of reading out of bounds")
  func damaged() throws {
    let dir = MemoryDirectory()
    let fx = try PostingsFixture(dir: dir, seed: 9, field: Self.fields[0], sizes: [1000])
    var bytes = Array(fx.doc.bytes)
    // Claim a bit width over 32 in the first block (after the skip data).
    let first = fx.cursor(0, lengthColumn: nil).blocksStart
    bytes[first] = 0x3F
    let damaged = FileBytes(name: "t.doc", copying: bytes)
    var c = PostingsCursor(
      owner: nil, docData: UnsafeRawBufferPointer(rebasing: damaged.bytes[0..<damaged.count - 8]),
      posData: UnsafeRawBufferPointer(rebasing: fx.pos.bytes[0..<fx.pos.count - 8]), info: fx.infos[0],
      field: fx.field, lengths: nil)
    #expect(c.isCorrupt)
    #expect(c.doc == PostingsCursor.noMoreDocs)
    #expect(c.next() == PostingsCursor.noMoreDocs)
    #expect(c.advance(to: 5) == PostingsCursor.noMoreDocs)
  }
}
