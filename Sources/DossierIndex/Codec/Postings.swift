/// Where a term's postings are and how many there are: the per-term record of the dictionary.
package struct TermInfo: Sendable, Hashable {
  /// Documents containing the term.
  package var docFreq: UInt32
  /// Occurrences of the term over all documents (= docFreq for keyword fields).
  package var totalTermFreq: UInt64
  /// Offset of the term's postings in the `.doc` file (from the start of the file).
  package var docOffset: UInt64
  /// Offset of the term's positions in the `.pos` file (0 when the field has none).
  package var posOffset: UInt64

  package init(docFreq: UInt32, totalTermFreq: UInt64, docOffset: UInt64, posOffset: UInt64) {
    self.docFreq = docFreq
    self.totalTermFreq = totalTermFreq
    self.docOffset = docOffset
    self.posOffset = posOffset
  }
}

/// The postings format: `.doc` (doc ids, frequencies, skip data) and `.pos` (positions).
///
/// Grammar (integers little-endian; `vint` is LEB128; `Packed(w)` is `_BitPacking`'s
/// 128 values of w bits):
///
///     DocFile      := Header TermPostings* Footer                 (kind DOCS)
///     TermPostings := SkipData? FullBlock^(df / 128) TailBlock?
///     SkipData     := ImpactBytes:u32 SkipEntry^nb TermImpacts:ImpactList BlockImpacts:ImpactList^nb
///                                                     (only when df >= 128; nb = ceil(df / 128))
///     SkipEntry    := LastDoc:u32 DocEnd:u32 PosStart:u32 ImpactStart:u32
///     FullBlock    := DocDeltas:PForBlock [FreqsMinusOne:PForBlock]
///     TailBlock    := DocWidth:u8 PackedN(DocWidth, t) [FreqWidth:u8 PackedN(FreqWidth, t)]
///                                                     when t = df mod 128 >= 4, else TailDoc^t
///     TailDoc      := DocCode:vint [Freq:vint]        with freqs: DocCode = Delta << 1 | (Freq == 1),
///                                                     Freq present only when DocCode is even;
///                     Delta:vint                      without freqs
///
///     PosFile      := Header BlockPositions* Footer               (kind POSN)
///     BlockPositions := PForBlock^(n / 128) PosTail
///     PosTail      := Width:u8 PackedN(Width, r)  when r = n mod 128 >= 4, else PosDelta:vint^r
///
/// `PackedN(w, t)` is t values of w bits in the same layout as `Packed`, padded to a byte;
/// `PForBlock` is 128 values bit-packed with patched exceptions (`_PFor`).
/// Doc ids are stored as deltas: the first doc of the term relative to 0, each next doc
/// relative to the previous one (across blocks). Packed frequencies are stored minus one.
/// A skip entry describes block k (the last entry the tail block): `LastDoc`, the block's end as a
/// byte offset from the end of the skip data (`DocEnd`), where its positions start as an offset
/// from the term's `posOffset` (`PosStart`), and where its impact list starts as an offset from
/// the first impact list (`ImpactStart`). `ImpactBytes` is the size of the impact lists
/// (`_Impact`): the term's first (bounding every document of the term, for MaxScore), then one
/// per block (block-max). A BM25 score grows with frequency and shrinks with length, so the
/// best score over a list's (freq, length) pairs bounds the block for any k1 and b.
/// Format version 1 had no impact lists and 20-byte entries ending `MaxFreq:u32 MinLength:u32`
/// (read as a one-pair list). `BlockPositions` holds, for the n = sum of frequencies of one
/// doc block, each doc's positions as deltas (the first of each doc absolute).
package enum _PostingsFormat {
  /// Bytes of a skip entry (`LastDoc`, `DocEnd`, `PosStart`, `ImpactStart`).
  package static let skipEntrySize = 16
  /// Bytes of a skip entry of format version 1 (`MaxFreq` and `MinLength` instead of
  /// `ImpactStart`).
  package static let skipEntrySizeV1 = 20
  /// Tails of at least this many values are bit-packed; shorter ones are varints. Measured on
  /// SciFact: 4 gives the smallest postings (37.2 % of the text with varint tails, 35.8 % now).
  package static let packedTailMinimum = 4
}

/// Encodes the postings of one term after another into the `.doc` and `.pos` files; used by
/// segment flushes and merges alike.
///
///     var enc = _PostingsEncoder(docOut: doc, posOut: pos, field: info)
///     enc.add(doc: 3, freq: 2, fieldLength: 17, positions: [1, 9])   // doc ids increasing
///     let termInfo = try enc.finishTerm()
///
/// Memory: one term's doc blocks (about 1 byte a posting) plus one block's positions.
package struct _PostingsEncoder {
  let docOut: _IndexFileWriter
  let posOut: _IndexFileWriter?
  let hasFreqs: Bool
  let hasPositions: Bool

  private var docs = [UInt32](repeating: 0, count: 128)
  private var freqs = [UInt32](repeating: 0, count: 128)
  private var n = 0
  private var lengths = [UInt32](repeating: 0, count: 128)
  /// Doc deltas or frequencies minus one of the block being written (reused: copying `docs`
  /// would allocate per block and per term).
  private var work = [UInt32](repeating: 0, count: 128)
  private var blockPositions: [UInt32] = []
  /// Per block so far: LastDoc, DocEnd, PosStart, and where its impact list starts within
  /// `blockImpacts`.
  private var skipEntries: [(UInt32, UInt32, UInt32, Int)] = []
  private var blockImpacts = _ByteBuffer()
  /// The impacts of every block so far, whose frontier becomes the term's list.
  private var termImpacts: [_Impact] = []
  private var skip = _ByteBuffer()
  private var blocks = _ByteBuffer()
  private var posBytes = _ByteBuffer()
  private var prevDoc: UInt32 = 0
  private var lastDocOfPreviousBlock: UInt32 = 0
  private var df: UInt32 = 0
  private var ttf: UInt64 = 0
  private var termPosStart = 0
  private var started = false

  package init(docOut: _IndexFileWriter, posOut: _IndexFileWriter?, field: FieldInfo) {
    self.docOut = docOut
    self.posOut = posOut
    self.hasFreqs = field.hasFreqs
    self.hasPositions = field.hasPositions
    precondition(!hasPositions || posOut != nil)
  }

  /// Postings added to the current term so far.
  package var docCount: UInt32 { df }

  /// Adds one document of the current term; `doc` must be greater than the previous one, and
  /// `positions` (when the field has them) nondecreasing, `freq` of them.
  package mutating func add(
    doc: UInt32, freq: UInt32, fieldLength: UInt32, positions: UnsafeBufferPointer<UInt32>
  ) throws {
    precondition(df == 0 || doc > prevDoc, "doc ids must increase")
    if !started {
      started = true
      termPosStart = posOut?.position ?? 0
    }
    let f = hasFreqs ? max(freq, 1) : 1
    docs[n] = doc
    freqs[n] = f
    n += 1
    df += 1
    ttf += UInt64(f)
    prevDoc = doc
    lengths[n - 1] = fieldLength
    if hasPositions {
      precondition(positions.count == Int(f), "a posting needs freq positions")
      var last: UInt32 = 0
      for p in positions {
        precondition(p >= last, "positions must not decrease")
        blockPositions.append(p - last)
        last = p
      }
    }
    if n == 128 { try _flushFullBlock() }
  }

  /// Convenience for tests: positions as an array.
  package mutating func add(doc: UInt32, freq: UInt32, fieldLength: UInt32, positions: [UInt32]) throws {
    try positions.withUnsafeBufferPointer {
      try add(doc: doc, freq: freq, fieldLength: fieldLength, positions: $0)
    }
  }

  private mutating func _writePositions() throws {
    guard hasPositions, let posOut else { return }
    posBytes.removeAll()
    var i = 0
    let count = blockPositions.count
    blockPositions.withUnsafeBufferPointer { p in
      while i + 128 <= count {
        _PFor.pack128(p.baseAddress! + i, into: &posBytes)
        i += 128
      }
      if count - i >= _PostingsFormat.packedTailMinimum {
        var acc: UInt32 = 0
        for j in i..<count { acc |= p[j] }
        let w = _BitPacking.bitWidth(acc)
        posBytes.u8(UInt8(w))
        _BitPacking.packN(p.baseAddress! + i, count: count - i, width: w, into: &posBytes)
        i = count
      }
      while i < count {
        posBytes.vint(p[i])
        i += 1
      }
    }
    try posOut.write(posBytes)
    blockPositions.removeAll(keepingCapacity: true)
  }

  private mutating func _skipEntry(lastDoc: UInt32, posStart: Int) throws {
    guard blocks.count <= UInt32.max, posStart <= UInt32.max else {
      throw IndexError.io(path: docOut.name, message: "postings of one term over 4 GB")
    }
    // Most blocks have one competitive pair: the shortest document has the highest frequency
    // (often every frequency is 1). Only the others need the frontier's sort.
    var maxFreq: UInt32 = 0
    var minLength = UInt32.max
    var freqOfShortest: UInt32 = 0
    for i in 0..<n {
      maxFreq = max(maxFreq, freqs[i])
      if lengths[i] < minLength || (lengths[i] == minLength && freqs[i] > freqOfShortest) {
        minLength = lengths[i]
        freqOfShortest = freqs[i]
      }
    }
    let impacts: [_Impact]
    if freqOfShortest == maxFreq {
      impacts = [_Impact(freq: maxFreq, length: minLength)]
    } else {
      var pairs: [_Impact] = []
      pairs.reserveCapacity(n)
      for i in 0..<n { pairs.append(_Impact(freq: freqs[i], length: lengths[i])) }
      impacts = _Impact.frontier(pairs)
    }
    skipEntries.append((lastDoc, UInt32(blocks.count), UInt32(posStart), blockImpacts.count))
    _Impact.write(impacts, into: &blockImpacts)
    termImpacts += impacts
  }

  private mutating func _flushFullBlock() throws {
    let posStart = (posOut?.position ?? 0) - termPosStart
    var prev = lastDocOfPreviousBlock
    for i in 0..<128 {
      work[i] = docs[i] - prev
      prev = docs[i]
    }
    work.withUnsafeBufferPointer { _PFor.pack128($0.baseAddress!, into: &blocks) }
    if hasFreqs {
      for i in 0..<128 { work[i] = freqs[i] - 1 }
      work.withUnsafeBufferPointer { _PFor.pack128($0.baseAddress!, into: &blocks) }
    }
    try _writePositions()
    try _skipEntry(lastDoc: docs[127], posStart: posStart)
    lastDocOfPreviousBlock = docs[127]
    n = 0
  }

  /// Ends the current term and writes it; returns where it went. At least one `add` first.
  package mutating func finishTerm() throws -> TermInfo {
    precondition(df > 0, "a term needs at least one posting")
    if n > 0 {
      let posStart = (posOut?.position ?? 0) - termPosStart
      var prev = lastDocOfPreviousBlock
      if n >= _PostingsFormat.packedTailMinimum {
        for i in 0..<n {
          work[i] = docs[i] - prev
          prev = docs[i]
        }
        work.withUnsafeBufferPointer { d in
          var acc: UInt32 = 0
          for i in 0..<n { acc |= d[i] }
          let w = _BitPacking.bitWidth(acc)
          blocks.u8(UInt8(w))
          _BitPacking.packN(d.baseAddress!, count: n, width: w, into: &blocks)
        }
        if hasFreqs {
          var acc: UInt32 = 0
          for i in 0..<n {
            work[i] = freqs[i] - 1
            acc |= work[i]
          }
          let w = _BitPacking.bitWidth(acc)
          blocks.u8(UInt8(w))
          work.withUnsafeBufferPointer {
            _BitPacking.packN($0.baseAddress!, count: n, width: w, into: &blocks)
          }
        }
      }
      for i in 0..<(n >= _PostingsFormat.packedTailMinimum ? 0 : n) {
        let delta = UInt64(docs[i] - prev)
        prev = docs[i]
        if hasFreqs {
          if freqs[i] == 1 {
            blocks.vint(delta << 1 | 1)
          } else {
            blocks.vint(delta << 1)
            blocks.vint(freqs[i])
          }
        } else {
          blocks.vint(delta)
        }
      }
      try _writePositions()
      if df >= 128 { try _skipEntry(lastDoc: docs[n - 1], posStart: posStart) }
    }
    let info = TermInfo(
      docFreq: df, totalTermFreq: ttf, docOffset: UInt64(docOut.position),
      posOffset: hasPositions ? UInt64(termPosStart) : 0)
    if df >= 128 {
      // SkipData: ImpactBytes, the entries, the term's impact list, the blocks' lists.
      var termList = _ByteBuffer()
      _Impact.write(_Impact.frontier(termImpacts), into: &termList)
      let impactBytes = termList.count + blockImpacts.count
      guard impactBytes <= UInt32.max else {
        throw IndexError.io(path: docOut.name, message: "postings of one term over 4 GB")
      }
      skip.u32(UInt32(impactBytes))
      for (lastDoc, docEnd, posStart, impactStart) in skipEntries {
        skip.u32(lastDoc)
        skip.u32(docEnd)
        skip.u32(posStart)
        skip.u32(UInt32(termList.count + impactStart))
      }
      skip.append(termList.bytes)
      skip.append(blockImpacts.bytes)
      try docOut.write(skip)
    }
    try docOut.write(blocks)
    skip.removeAll()
    blocks.removeAll()
    skipEntries.removeAll(keepingCapacity: true)
    blockImpacts.removeAll()
    termImpacts.removeAll(keepingCapacity: true)
    n = 0
    df = 0
    ttf = 0
    prevDoc = 0
    lastDocOfPreviousBlock = 0
    started = false
    return info
  }
}

/// Reads one term's postings from the mapped `.doc` and `.pos` files, a block of 128 docs at a
/// time, skipping whole blocks through the skip table.
///
/// Created positioned on the first document (`doc`); `next()` and `advance(to:)` move forward
/// and return the new doc, or `noMoreDocs` past the end. `shallowAdvance(to:)` moves only the
/// block pointer, for block-max WAND: it exposes the bounds of the block containing the target
/// (`blockLastDoc`, `forEachBlockImpact`, `blockMaxNormalizedFreq`) without decoding it.
///
///     var c = reader.postings(field: body, term: Array("swift".utf8))!
///     while c.doc != PostingsCursor.noMoreDocs {
///       score(c.doc, c.freq); c.next()
///     }
///     c.advance(to: 1000)           // first doc >= 1000
///     let ps = c.positions()        // positions of the current doc
///
/// Cost: a struct with two 128-entry buffers (no allocation per posting); decoding a block is
/// two bit-unpacks and a prefix sum; positions are decoded per block only when asked for.
/// Never reads out of bounds: on damaged bytes it stops (`doc == noMoreDocs`) and sets
/// `isCorrupt` (which `SegmentReader.verify()` reports).
package struct PostingsCursor {
  /// The doc id past the end.
  /// (Computed and inlinable, so that it is a constant in other modules rather than a lazily
  /// initialized global behind `swift_once`.)
  @inlinable package static var noMoreDocs: UInt32 { .max }

  let owner: AnyObject?
  let docData: UnsafeRawBufferPointer
  let posData: UnsafeRawBufferPointer
  let lengths: LengthColumn?
  let hasFreqs: Bool
  let hasPositions: Bool
  /// Documents in the postings list.
  package let docFreq: UInt32
  let termDocStart: Int
  let termPosStart: Int
  let numBlocks: Int
  let fullBlocks: Int
  let hasSkip: Bool
  /// Skip data of format version 1: 20-byte entries with one (MaxFreq, MinLength) pair each,
  /// no impact lists.
  let skipV1: Bool
  /// Full blocks in the vertical layout (format version 3; see `_BitPacking`).
  let vertical: Bool
  /// Where the skip entries start (after `ImpactBytes` in version 2).
  let entriesStart: Int
  /// Where the impact lists start (version 2).
  let impactsStart: Int
  let blocksStart: Int

  /// One allocation for the block: docs at 0..<128, freqs at 128..<256, and each doc's first
  /// position index at 256...384 (filled when positions are decoded).
  private var buf = [UInt32](repeating: 0, count: 385)
  private var count = 0
  private var index = 0
  private var block = -1
  private var shallow = 0
  /// Where the current full block's packed frequencies start in `docData`, until they are
  /// decoded (-1 after): a conjunction decodes many blocks of its other terms only to look
  /// for a doc id, so frequencies are decoded when first asked for.
  private var freqsAt = -1
  private var posBlock = -1
  private var posBuf: [UInt32] = []

  /// The current document, or `noMoreDocs`.
  package private(set) var doc: UInt32 = 0
  /// Whether damaged bytes were met (decoding stopped there).
  package private(set) var isCorrupt = false

  /// A cursor over the postings described by `info`. `docData` and `posData` are the whole
  /// `.doc` and `.pos` files without their footers; `owner` keeps them mapped.
  init(
    owner: AnyObject?, docData: UnsafeRawBufferPointer, posData: UnsafeRawBufferPointer,
    info: TermInfo, field: FieldInfo, lengths: LengthColumn?
  ) {
    self.owner = owner
    self.docData = docData
    self.posData = posData
    self.lengths = lengths
    self.hasFreqs = field.hasFreqs
    self.hasPositions = field.hasPositions
    self.docFreq = info.docFreq
    self.termDocStart = Int(clamping: info.docOffset)
    self.termPosStart = Int(clamping: info.posOffset)
    self.numBlocks = (Int(info.docFreq) + 127) / 128
    self.fullBlocks = Int(info.docFreq) / 128
    self.hasSkip = info.docFreq >= 128
    // The version of the `.doc` file is in its header (bytes 8..<12).
    let version =
      docData.count >= _FileFormat.headerSize
      ? UInt32(littleEndian: docData.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) : 0
    self.skipV1 = version == 1
    self.vertical = version >= 3
    var entriesStart = termDocStart
    var impactsStart = termDocStart
    var blocksStart = termDocStart
    var damaged = info.docFreq == 0 || termDocStart < _FileFormat.headerSize
    if hasSkip && !damaged {
      if skipV1 {
        blocksStart = termDocStart + numBlocks * _PostingsFormat.skipEntrySizeV1
        impactsStart = blocksStart
      } else if termDocStart + 4 <= docData.count {
        let impactBytes = Int(
          UInt32(littleEndian: docData.loadUnaligned(fromByteOffset: termDocStart, as: UInt32.self)))
        entriesStart = termDocStart + 4
        impactsStart = entriesStart + numBlocks * _PostingsFormat.skipEntrySize
        blocksStart = impactsStart + impactBytes
      } else {
        damaged = true
      }
    }
    self.entriesStart = entriesStart
    self.impactsStart = impactsStart
    self.blocksStart = blocksStart
    if damaged || blocksStart > docData.count {
      _fail()
      return
    }
    _decode(0)
  }

  private mutating func _fail() {
    isCorrupt = true
    doc = Self.noMoreDocs
    count = 0
    index = 0
    freqsAt = -1
    block = numBlocks
    shallow = numBlocks
  }

  @inline(__always) private func _skipU32(_ k: Int, _ field: Int) -> UInt32 {
    let size = skipV1 ? _PostingsFormat.skipEntrySizeV1 : _PostingsFormat.skipEntrySize
    return UInt32(
      littleEndian: docData.loadUnaligned(
        fromByteOffset: entriesStart + k * size + field * 4, as: UInt32.self))
  }

  /// The term frequency in the current document (1 for keyword fields).
  ///
  /// The block accessors are `mutating get` on purpose: a mutating call takes the cursor by
  /// address, while a plain getter called from another module first copies the whole struct.
  package var freq: UInt32 {
    mutating get {
      guard index < count else { return 0 }
      if freqsAt >= 0 {
        _decodeFreqs()
        if isCorrupt { return 0 }
      }
      return buf[128 + index]
    }
  }

  /// Decodes the frequencies of the current full block (see `freqsAt`).
  private mutating func _decodeFreqs() {
    var pos = freqsAt
    freqsAt = -1
    let data = docData
    let vertical = self.vertical
    let ok = buf.withUnsafeMutableBufferPointer { b -> Bool in
      let f = b.baseAddress! + 128
      guard _PFor.unpack128(data, at: &pos, vertical: vertical, into: f) else { return false }
      _BitPacking.add128(f, 1)
      return true
    }
    if !ok { _fail() }
  }

  /// Decodes block `k` and positions on its first doc.
  private mutating func _decode(_ k: Int) {
    var pos = hasSkip ? blocksStart + (k == 0 ? 0 : Int(_skipU32(k - 1, 1))) : termDocStart
    var prev: UInt32 = hasSkip && k > 0 ? _skipU32(k - 1, 0) : 0
    let data = docData
    let vertical = self.vertical
    block = k
    index = 0
    freqsAt = -1
    if k < fullBlocks {
      let ok = buf.withUnsafeMutableBufferPointer { b -> Bool in
        let d = b.baseAddress!
        guard _PFor.unpack128(data, at: &pos, vertical: vertical, into: d) else { return false }
        _BitPacking.prefixSum128(d, base: prev)
        if !hasFreqs { (d + 128).update(repeating: 1, count: 128) }
        return true
      }
      guard ok else { return _fail() }
      freqsAt = hasFreqs ? pos : -1
      count = 128
    } else if Int(docFreq) - fullBlocks * 128 >= _PostingsFormat.packedTailMinimum {
      let n = Int(docFreq) - fullBlocks * 128
      guard pos < data.count else { return _fail() }
      let w = Int(data[pos])
      pos += 1
      let ok = buf.withUnsafeMutableBufferPointer { d -> Bool in
        guard _BitPacking.unpackN(data, at: pos, count: n, width: w, into: d.baseAddress!) else {
          return false
        }
        for i in 0..<n {
          prev &+= d[i]
          d[i] = prev
        }
        return true
      }
      guard ok else { return _fail() }
      pos += _BitPacking.packedSize(count: n, width: w)
      if hasFreqs {
        guard pos < data.count else { return _fail() }
        let fw = Int(data[pos])
        pos += 1
        let ok2 = buf.withUnsafeMutableBufferPointer { b -> Bool in
          let f = b.baseAddress! + 128
          guard _BitPacking.unpackN(data, at: pos, count: n, width: fw, into: f) else { return false }
          for i in 0..<n { f[i] &+= 1 }
          return true
        }
        guard ok2 else { return _fail() }
      } else {
        for i in 0..<n { buf[128 + i] = 1 }
      }
      count = n
    } else {
      let n = Int(docFreq) - fullBlocks * 128
      for i in 0..<n {
        guard let code = _readVInt(data, &pos) else { return _fail() }
        if hasFreqs {
          prev &+= UInt32(truncatingIfNeeded: code >> 1)
          if code & 1 == 1 {
            buf[128 + i] = 1
          } else {
            guard let f = _readVInt(data, &pos), f > 0, f <= UInt32.max else { return _fail() }
            buf[128 + i] = UInt32(f)
          }
        } else {
          prev &+= UInt32(truncatingIfNeeded: code)
          buf[128 + i] = 1
        }
        buf[i] = prev
      }
      count = n
    }
    if shallow < k { shallow = k }
    doc = buf[0]
  }

  /// Moves to the next document; returns it or `noMoreDocs`.
  @discardableResult
  package mutating func next() -> UInt32 {
    if index + 1 < count {
      index += 1
      doc = buf[index]
    } else if block + 1 < numBlocks {
      _decode(block + 1)
    } else {
      index = count
      doc = Self.noMoreDocs
      block = numBlocks
    }
    return doc
  }

  /// Moves to the first document at or after `target` (staying if already there); returns it
  /// or `noMoreDocs`. Skips whole blocks through the skip table.
  @discardableResult
  package mutating func advance(to target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    if isCorrupt || count == 0 { return doc }
    if buf[count - 1] < target {
      guard hasSkip else {
        doc = Self.noMoreDocs
        index = count
        block = numBlocks
        return doc
      }
      // Start after the current block, or at the shallow pointer when every block before it
      // ends before `target` (a lower target than the last shallow one stays correct).
      var k = block + 1
      if shallow > k && _skipU32(shallow - 1, 0) < target { k = shallow }
      while k < numBlocks && _skipU32(k, 0) < target { k += 1 }
      if k >= numBlocks {
        doc = Self.noMoreDocs
        index = count
        block = numBlocks
        shallow = numBlocks
        return doc
      }
      _decode(k)
      if isCorrupt { return doc }
    }
    let i = buf.withUnsafeBufferPointer {
      Self._firstAtLeast(target, in: $0.baseAddress!, from: index, to: count)
    }
    if i == count {  // the skip entry promised a doc >= target in this block
      _fail()
      return doc
    }
    index = i
    doc = buf[i]
    return doc
  }

  /// The first index in `from..<to` of the ascending `docs` whose value is at least `target`
  /// (`to` if none). A plain scan without bounds checks: a conjunction moves a frequent word's
  /// cursor a few documents at a time, where this was faster than the checked scan before it
  /// (10.1 -> 8.9 µs for the 1,076 x 9,403 intersection of the Debian benchmark's "remaining
  /// elements") and than an eight-wide vector compare (14.8 µs).
  @inline(__always)
  static func _firstAtLeast(_ target: UInt32, in docs: UnsafePointer<UInt32>, from: Int, to: Int) -> Int {
    var i = from
    while i < to && docs[i] < target { i &+= 1 }
    return i
  }

  /// Moves the block pointer (not the document) to the block that contains `target` or
  /// follows it; returns that block's last doc, or `noMoreDocs` when no block is left.
  /// Cost: reads skip entries only.
  @discardableResult
  package mutating func shallowAdvance(to target: UInt32) -> UInt32 {
    if isCorrupt || count == 0 { return Self.noMoreDocs }
    if !hasSkip {
      if shallow == 0 && buf[count - 1] < target { shallow = 1 }
      return blockLastDoc
    }
    var k = max(shallow, block)
    while k < numBlocks && _skipU32(k, 0) < target { k += 1 }
    shallow = k
    return blockLastDoc
  }

  /// The last doc of the block under the block pointer (`noMoreDocs` past the end).
  package var blockLastDoc: UInt32 {
    mutating get {
      guard shallow < numBlocks, !isCorrupt else { return Self.noMoreDocs }
      return hasSkip ? _skipU32(shallow, 0) : buf[count - 1]
    }
  }
  /// Calls `body(freq, length)` with each impact of the block under the block pointer: every
  /// document of the block has a frequency at most `freq` and a length at least `length` for
  /// some pair (see `_Impact`). Nothing past the end. Cost: reads the block's impact list (at
  /// most `_Impact.maxCount` pairs); for a list without skip data (under 128 docs), one pair
  /// per document of the decoded block.
  package mutating func forEachBlockImpact(_ body: (UInt32, UInt32) -> Void) {
    guard shallow < numBlocks, !isCorrupt else { return }
    if !hasSkip { return _forEachDocImpact(body) }
    if skipV1 { return body(_skipU32(shallow, 3), _skipU32(shallow, 4)) }
    let start = impactsStart + Int(_skipU32(shallow, 3))
    guard start < blocksStart,
      _Impact.read(UnsafeRawBufferPointer(rebasing: docData[..<blocksStart]), at: start, body)
    else { return _fail() }
  }

  /// Calls `body(freq, length)` with impacts that bound every document of the list (the
  /// term's impact list; for version 1 skip data, each block's pair). Cost: O(`maxCount`),
  /// O(blocks) for version 1, O(docs) without skip data.
  package mutating func forEachTermImpact(_ body: (UInt32, UInt32) -> Void) {
    guard !isCorrupt else { return }
    if !hasSkip { return _forEachDocImpact(body) }
    if skipV1 {
      for k in 0..<numBlocks { body(_skipU32(k, 3), _skipU32(k, 4)) }
      return
    }
    guard impactsStart < blocksStart,
      _Impact.read(UnsafeRawBufferPointer(rebasing: docData[..<blocksStart]), at: impactsStart, body)
    else { return _fail() }
  }

  /// The single block of a list without skip data: each document's (freq, length).
  private func _forEachDocImpact(_ body: (UInt32, UInt32) -> Void) {
    for i in 0..<count { body(buf[128 + i], lengths?[buf[i]] ?? 0) }
  }

  /// The largest normalized frequency over the documents of the single block of a list
  /// without skip data, compared by cross-multiplying (f / n > bf / bn when f · bn > bf · n)
  /// so that only the winner is divided. Cost: O(count) multiplications and length lookups.
  private func _docMaxNormalizedFreq(_ normBase: Double, _ normSlope: Double) -> Double {
    var bestF = 0.0
    var bestN = 1.0
    buf.withUnsafeBufferPointer { b in
      for i in 0..<count {
        let f = Double(b[128 + i])
        let n = normBase + normSlope * Double(lengths?[b[i]] ?? 0)
        if f * bestN > bestF * n {
          bestF = f
          bestN = n
        }
      }
    }
    return bestF / bestN
  }

  /// The largest `freq / (normBase + normSlope · length)` over the impacts of the block under
  /// the block pointer: with normBase = 1 − b and normSlope = b / avgdl, the largest
  /// length-normalized frequency any document of the block can have, which bounds its BM25
  /// score (0 past the end).
  package mutating func blockMaxNormalizedFreq(normBase: Double, normSlope: Double) -> Double {
    if !hasSkip && !isCorrupt { return shallow < numBlocks ? _docMaxNormalizedFreq(normBase, normSlope) : 0 }
    var best = 0.0
    forEachBlockImpact { f, l in best = max(best, Double(f) / (normBase + normSlope * Double(l))) }
    return best
  }

  /// `blockMaxNormalizedFreq` over the whole list.
  package mutating func termMaxNormalizedFreq(normBase: Double, normSlope: Double) -> Double {
    if !hasSkip && !isCorrupt { return _docMaxNormalizedFreq(normBase, normSlope) }
    var best = 0.0
    forEachTermImpact { f, l in best = max(best, Double(f) / (normBase + normSlope * Double(l))) }
    return best
  }

  /// Number of blocks (one for postings under 128 docs).
  package var blockCount: Int { numBlocks }

  /// Decodes the positions of the current block.
  private mutating func _decodePositions() {
    if freqsAt >= 0 {
      _decodeFreqs()
      if isCorrupt { return }
    }
    posBlock = block
    var total = 0
    for i in 0..<count {
      buf[256 + i] = UInt32(truncatingIfNeeded: total)
      total += Int(buf[128 + i])
    }
    buf[256 + count] = UInt32(truncatingIfNeeded: total)
    let n = total
    var pos = termPosStart + (hasSkip ? Int(_skipU32(block, 2)) : 0)
    // A packed block of 128 positions takes at least one byte: more positions than that means
    // damaged frequencies (and must not turn into a huge allocation).
    guard n <= Int(UInt32.max), pos >= _FileFormat.headerSize, pos <= posData.count,
      n <= (posData.count - pos + 1) * 128
    else {
      isCorrupt = true
      posBlock = -1
      return
    }
    if posBuf.count < n + 128 { posBuf = [UInt32](repeating: 0, count: n + 128) }
    let data = posData
    let vertical = self.vertical
    var ok = true
    posBuf.withUnsafeMutableBufferPointer { out in
      var i = 0
      while ok && i + 128 <= n {
        guard _PFor.unpack128(data, at: &pos, vertical: vertical, into: out.baseAddress! + i) else {
          ok = false
          break
        }
        i += 128
      }
      if ok && n - i >= _PostingsFormat.packedTailMinimum {
        if pos < data.count {
          let w = Int(data[pos])
          pos += 1
          if _BitPacking.unpackN(data, at: pos, count: n - i, width: w, into: out.baseAddress! + i) {
            pos += _BitPacking.packedSize(count: n - i, width: w)
            i = n
          } else {
            ok = false
          }
        } else {
          ok = false
        }
      }
      while ok && i < n {
        guard let v = _readVInt(data, &pos), v <= UInt32.max else {
          ok = false
          break
        }
        out[i] = UInt32(v)
        i += 1
      }
      guard ok else { return }
      for d in 0..<count {
        var acc: UInt32 = 0
        for j in Int(buf[256 + d])..<Int(buf[256 + d + 1]) {
          acc &+= out[j]
          out[j] = acc
        }
      }
    }
    if !ok {
      isCorrupt = true
      posBlock = -1
    }
  }

  /// Calls `body` with the positions of the current document (empty if the field has none or
  /// past the end). The buffer is valid only inside `body`.
  package mutating func withPositions<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
    guard hasPositions, doc != Self.noMoreDocs, !isCorrupt else {
      return try body(UnsafeBufferPointer(start: nil, count: 0))
    }
    if posBlock != block { _decodePositions() }
    if isCorrupt { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    let start = Int(buf[256 + index])
    let end = Int(buf[256 + index + 1])
    return try posBuf.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
  }

  /// The positions of the current document, as a new array.
  package mutating func positions() -> [UInt32] { withPositions { Array($0) } }
}
