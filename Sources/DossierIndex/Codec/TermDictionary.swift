#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The term dictionary: every (field, term) key of a segment, sorted by bytes, with its
/// `TermInfo`, prefix-compressed in blocks of 64 terms; a small index of the blocks' first
/// keys is loaded into memory at open.
///
/// Grammar (`.dict`, kind `DICT`):
///
///     DictFile   := Header TermBlock* BlockIndex IndexOffset:u64 Footer
///     TermBlock  := TermCount:vint Entry^TermCount                      (TermCount <= 64)
///     Entry      := Shared:vint SuffixLength:vint Suffix:byte^SuffixLength
///                   DocFreq:vint [TtfMinusDocFreq:vint] DocDelta:vint [PosDelta:vint]
///     BlockIndex := BlockCount:vint TermCount:vint
///                   (KeyLength:vint Key:byte^KeyLength BlockOffset:vint)^BlockCount
///
/// A key is the field number (one byte) followed by the term's bytes. `Shared` is the length
/// of the prefix shared with the previous key of the block (0 for a block's first key).
/// `TtfMinusDocFreq` is present for fields with frequencies (text), `PosDelta` for fields with
/// positions. `DocDelta` and `PosDelta` are differences from the previous entry's offsets in
/// the same block that had them (from 0 for the block's first), so a block decodes on its own.
/// `BlockOffset` is from the start of the file.
package enum _DictionaryFormat {
  /// Terms per block.
  package static let blockSize = 64
}

/// Writes the dictionary: keys strictly increasing by bytes.
///
///     let w = try _TermDictionaryWriter(dir, segment: "seg_1", segmentID: id, schema: schema)
///     try w.add(key, info) ...
///     try w.finish()
///
/// Memory: one block plus the block index (one key per 64 terms).
package final class _TermDictionaryWriter {
  let out: _IndexFileWriter
  let schema: FieldSchema
  private var block = _ByteBuffer()
  private var inBlock = 0
  private var last: [UInt8] = []
  private var lastDoc: UInt64 = 0
  private var lastPos: UInt64 = 0
  private var index = _ByteBuffer()
  private var blockCount = 0
  /// Terms written.
  package private(set) var termCount: UInt64 = 0
  private var entries = _ByteBuffer()

  package init(_ directory: any Directory, segment: String, segmentID: UInt64, schema: FieldSchema) throws {
    out = try _IndexFileWriter(directory, name: "\(segment).dict", kind: "DICT", segmentID: segmentID)
    self.schema = schema
  }

  package func add(_ key: [UInt8], _ info: TermInfo) throws {
    try key.withUnsafeBytes { try add($0, info) }
  }

  /// Adds the next key (field byte + term bytes), greater than the previous one.
  package func add(_ key: UnsafeRawBufferPointer, _ info: TermInfo) throws {
    precondition(key.count >= 1 && Int(key[0]) < schema.count, "key must start with a field number")
    precondition(termCount == 0 || last.lexicographicallyPrecedes(key), "keys must increase")
    let field = schema[key[0]]
    if inBlock == 0 {
      index.vint(key.count)
      index.append(key)
      index.vint(out.position)
      blockCount += 1
      last.removeAll(keepingCapacity: true)
      lastDoc = 0
      lastPos = 0
    }
    var shared = 0
    let limit = min(last.count, key.count)
    while shared < limit && last[shared] == key[shared] { shared += 1 }
    entries.vint(shared)
    entries.vint(key.count - shared)
    entries.append(UnsafeRawBufferPointer(rebasing: key[shared...]))
    entries.vint(info.docFreq)
    if field.hasFreqs { entries.vint(info.totalTermFreq - UInt64(info.docFreq)) }
    precondition(info.docOffset >= lastDoc)
    entries.vint(info.docOffset - lastDoc)
    lastDoc = info.docOffset
    if field.hasPositions {
      precondition(info.posOffset >= lastPos)
      entries.vint(info.posOffset - lastPos)
      lastPos = info.posOffset
    }
    last.removeAll(keepingCapacity: true)
    last.append(contentsOf: key)
    inBlock += 1
    termCount += 1
    if inBlock == _DictionaryFormat.blockSize { try _flushBlock() }
  }

  private func _flushBlock() throws {
    guard inBlock > 0 else { return }
    block.removeAll()
    block.vint(inBlock)
    block.append(entries.bytes)
    try out.write(block)
    entries.removeAll()
    inBlock = 0
  }

  /// Writes the last block, the block index and the footer.
  package func finish() throws {
    try _flushBlock()
    let indexOffset = out.position
    var b = _ByteBuffer()
    b.vint(blockCount)
    b.vint(termCount)
    b.append(index.bytes)
    b.u64(UInt64(indexOffset))
    try out.write(b)
    try out.finish()
  }
}

/// Looks terms up in a mapped `.dict` file, through the in-memory block index.
///
///     let info = dict.lookup(key)          // exact, or nil
///     var it = dict.iterator(from: prefix) // ordered, from the first key >= prefix
///     while it.next() { use(it.key, it.info) }
///
/// Cost of `lookup`: a binary search over the block keys, then decoding at most 64 entries.
package struct _TermDictionaryReader: @unchecked Sendable {
  let data: UnsafeRawBufferPointer
  let file: String
  let schema: FieldSchema
  /// Per field number, bit 0: has frequencies, bit 1: has positions (what `lookup` needs of the
  /// schema, without copying a `FieldInfo` per entry).
  let fieldFlags: [UInt8]
  let keyArena: [UInt8]
  let keyStarts: [Int]  // blockCount + 1
  let blockOffsets: [Int]
  let indexOffset: Int
  /// All terms of all fields.
  package let termCount: UInt64

  /// Loads the block index (`data` is the whole file without its footer).
  init(data: UnsafeRawBufferPointer, file: String, schema: FieldSchema) throws {
    self.data = data
    self.file = file
    self.schema = schema
    fieldFlags = schema.fields.map { ($0.hasFreqs ? 1 : 0) | ($0.hasPositions ? 2 : 0) }
    var r = _ByteReader(data, at: max(0, data.count - 8), file: file)
    let io = try r.u64()
    guard io >= UInt64(_FileFormat.headerSize), io <= UInt64(data.count - 8) else {
      throw r.corrupt("block index offset \(io) out of range")
    }
    indexOffset = Int(io)
    r = _ByteReader(UnsafeRawBufferPointer(rebasing: data[0..<data.count - 8]), at: indexOffset, file: file)
    let n = try r.vint(max: data.count)
    termCount = try r.vint()
    var arena: [UInt8] = []
    var starts: [Int] = [0]
    var offsets: [Int] = []
    starts.reserveCapacity(n + 1)
    offsets.reserveCapacity(n)
    var prevOffset = 0
    for i in 0..<n {
      let len = try r.vint(max: 1 << 20)
      guard len >= 1 else { throw r.corrupt("empty first key of block \(i)") }
      arena.append(contentsOf: try r.bytes(len))
      starts.append(arena.count)
      let off = try r.vint(max: indexOffset - 1)
      guard off >= _FileFormat.headerSize, off > prevOffset || i == 0 else {
        throw r.corrupt("block \(i) at offset \(off) out of order")
      }
      prevOffset = off
      offsets.append(off)
    }
    guard r.atEnd else { throw r.corrupt("\(r.remaining) unexpected bytes after the block index") }
    guard UInt64(n) * UInt64(_DictionaryFormat.blockSize) >= termCount,
      termCount > UInt64(max(0, n - 1) * _DictionaryFormat.blockSize) || n == 0
    else { throw r.corrupt("\(termCount) terms do not fit \(n) blocks") }
    keyArena = arena
    keyStarts = starts
    blockOffsets = offsets
  }

  var blockCount: Int { blockOffsets.count }

  /// Compares block `b`'s first key with `key`.
  func _compareFirstKey(_ b: Int, _ key: UnsafeRawBufferPointer) -> Int {
    keyArena.withUnsafeBytes { a in
      _compareBytes(UnsafeRawBufferPointer(rebasing: a[keyStarts[b]..<keyStarts[b + 1]]), key)
    }
  }

  /// The last block whose first key is <= `key`, or -1.
  func _block(for key: UnsafeRawBufferPointer) -> Int {
    var lo = 0
    var hi = blockCount - 1
    var found = -1
    while lo <= hi {
      let mid = (lo + hi) / 2
      if _compareFirstKey(mid, key) <= 0 {
        found = mid
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return found
  }

  /// The `TermInfo` of `key` (field byte + term bytes), or nil.
  ///
  /// Scans the one block that can hold `key` without building each key: it keeps how many
  /// leading bytes of `key` the previous entry matched (`matched`), and an entry that shares
  /// fewer bytes with its predecessor is already past `key`, one that shares more is still
  /// before it; only an entry sharing exactly `matched` bytes is compared, from there. Cost:
  /// a binary search over the in-memory block keys, then at most 64 entries' varints. Damaged
  /// bytes give nil (`TermIterator`, which `verify()` uses, reports them).
  package func lookup(_ key: UnsafeRawBufferPointer) -> TermInfo? {
    let b = _block(for: key)
    if b < 0 || key.isEmpty { return nil }
    let data = UnsafeRawBufferPointer(rebasing: self.data[0..<indexOffset])
    var pos = blockOffsets[b]
    guard let n = _readVInt(data, &pos), n >= 1, n <= UInt64(_DictionaryFormat.blockSize) else { return nil }
    var matched = 0
    var previousLength = 0
    var field: UInt8 = 0
    var lastDoc: UInt64 = 0
    var lastPos: UInt64 = 0
    for _ in 0..<Int(n) {
      guard let sharedU = _readVInt(data, &pos), let suffixU = _readVInt(data, &pos),
        sharedU <= UInt64(previousLength), suffixU <= UInt64(data.count - pos)
      else { return nil }
      let shared = Int(sharedU)
      let suffix = Int(suffixU)
      let suffixStart = pos
      pos += suffix
      previousLength = shared + suffix
      if shared == 0 {
        guard suffix > 0 else { return nil }
        field = data[suffixStart]
      }
      // Where this entry stands against `key`: before it (keep going), equal, or past it.
      var found = false
      if shared < matched {
        return nil
      } else if shared == matched {
        var j = 0
        while j < suffix && matched + j < key.count && data[suffixStart + j] == key[matched + j] { j += 1 }
        if j < suffix && matched + j < key.count {
          if data[suffixStart + j] > key[matched + j] { return nil }
          matched += j
        } else if j == suffix && matched + j == key.count {
          found = true
        } else if j == suffix {
          matched += j  // a proper prefix of `key`
        } else {
          return nil  // `key` is a proper prefix of this entry
        }
      }
      guard Int(field) < fieldFlags.count else { return nil }
      let flags = fieldFlags[Int(field)]
      guard let df = _readVInt(data, &pos), df >= 1, df <= UInt64(UInt32.max) else { return nil }
      var ttf = df
      if flags & 1 != 0 {
        guard let extra = _readVInt(data, &pos), extra <= UInt64.max - df else { return nil }
        ttf += extra
      }
      guard let dd = _readVInt(data, &pos), dd <= UInt64.max - lastDoc else { return nil }
      lastDoc += dd
      if flags & 2 != 0 {
        guard let pd = _readVInt(data, &pos), pd <= UInt64.max - lastPos else { return nil }
        lastPos += pd
      }
      if found {
        return TermInfo(
          docFreq: UInt32(df), totalTermFreq: ttf, docOffset: lastDoc, posOffset: flags & 2 != 0 ? lastPos : 0
        )
      }
    }
    return nil
  }

  package func lookup(_ key: [UInt8]) -> TermInfo? { key.withUnsafeBytes { lookup($0) } }

  /// An iterator over all keys, in order.
  package func iterator() -> TermIterator { TermIterator(dict: self, block: 0) }

  /// An iterator positioned before the first key >= `key`.
  package func iterator(from key: [UInt8]) -> TermIterator {
    key.withUnsafeBytes { k in
      let b = max(0, _block(for: k))
      var it = TermIterator(dict: self, block: b)
      // Decode up to the first key >= k, then step back one so next() returns it.
      while true {
        let save = it
        guard it.next() else { return it }
        if it.key.withUnsafeBytes({ _compareBytes($0, k) }) >= 0 { return save }
      }
    }
  }
}

/// Walks dictionary entries in key order. `next()` decodes one entry; `key` and `info` then
/// describe it. Sets `error` instead of reading past damaged bytes.
///
/// Cost: O(1) amortized per term; `key` is one reused buffer (no allocation per term).
package struct TermIterator {
  let dict: _TermDictionaryReader
  var block: Int
  var pos: Int
  var leftInBlock = 0
  var lastDoc: UInt64 = 0
  var lastPos: UInt64 = 0
  /// The current key (field byte + term bytes).
  package private(set) var key: [UInt8] = []
  /// The current term's postings record.
  package private(set) var info = TermInfo(docFreq: 0, totalTermFreq: 0, docOffset: 0, posOffset: 0)
  /// Set when damaged bytes stopped the iteration.
  package private(set) var error: IndexError?

  init(dict: _TermDictionaryReader, block: Int) {
    self.dict = dict
    self.block = block - 1
    self.pos = 0
  }

  /// The field of the current key.
  package var field: FieldNumber { key[0] }

  private mutating func _fail(_ detail: String) -> Bool {
    error = .corrupt(file: dict.file, detail: detail)
    block = dict.blockCount
    leftInBlock = 0
    return false
  }

  /// Moves to the next key; false at the end (or on damage, with `error` set).
  package mutating func next() -> Bool {
    if error != nil { return false }
    let data = UnsafeRawBufferPointer(rebasing: dict.data[0..<dict.indexOffset])
    if leftInBlock == 0 {
      block += 1
      guard block < dict.blockCount else { return false }
      pos = dict.blockOffsets[block]
      guard let n = _readVInt(data, &pos), n >= 1, n <= UInt64(_DictionaryFormat.blockSize) else {
        return _fail("bad term count in block \(block)")
      }
      if block + 1 < dict.blockCount && n != UInt64(_DictionaryFormat.blockSize) {
        return _fail("block \(block) is not full")
      }
      leftInBlock = Int(n)
      lastDoc = 0
      lastPos = 0
      key.removeAll(keepingCapacity: true)
    }
    guard let shared = _readVInt(data, &pos), let suffix = _readVInt(data, &pos),
      shared <= UInt64(key.count), suffix <= UInt64(data.count - pos)
    else { return _fail("bad key in block \(block)") }
    key.removeSubrange(Int(shared)...)
    key.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[pos..<pos + Int(suffix)]))
    pos += Int(suffix)
    guard !key.isEmpty, Int(key[0]) < dict.schema.count else {
      return _fail("key of unknown field in block \(block)")
    }
    let f = dict.schema[key[0]]
    guard let df = _readVInt(data, &pos), df >= 1, df <= UInt64(UInt32.max) else {
      return _fail("bad doc freq in block \(block)")
    }
    var ttf = df
    if f.hasFreqs {
      guard let extra = _readVInt(data, &pos), extra <= UInt64.max - df else {
        return _fail("bad total freq")
      }
      ttf += extra
    }
    guard let dd = _readVInt(data, &pos), dd <= UInt64.max - lastDoc else { return _fail("bad doc offset") }
    lastDoc += dd
    var posOffset: UInt64 = 0
    if f.hasPositions {
      guard let pd = _readVInt(data, &pos), pd <= UInt64.max - lastPos else { return _fail("bad pos offset") }
      lastPos += pd
      posOffset = lastPos
    }
    info = TermInfo(docFreq: UInt32(df), totalTermFreq: ttf, docOffset: lastDoc, posOffset: posOffset)
    leftInBlock -= 1
    if leftInBlock == 0
      && pos != (block + 1 < dict.blockCount ? dict.blockOffsets[block + 1] : dict.indexOffset)
    {
      return _fail("block \(block) does not end where the next begins")
    }
    return true
  }
}

/// memcmp order of two byte strings: negative, zero or positive.
@inline(__always)
func _compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
  let n = min(a.count, b.count)
  if n > 0 {
    let c = memcmp(a.baseAddress!, b.baseAddress!, n)
    if c != 0 { return Int(c) }
  }
  return a.count - b.count
}
