import CZstd
import Synchronization

/// Stored documents: one opaque byte blob per document (the caller serializes title, metadata,
/// headings, blocks and path), grouped into blocks of about `blockSize` bytes compressed with
/// zstd, plus an index of blocks for random access.
///
/// Grammar (`.store`, kind `STOR`):
///
///     StoreFile := Header Block* BlockIndex IndexOffset:u64 Footer
///     Block     := DocCount:vint RawLength:vint Method:u8 StoredLength:vint byte^StoredLength
///     Raw       := DocLength:vint^DocCount Blob^DocCount           (the block, decompressed)
///     BlockIndex := BlockCount:u32 (FirstDoc:u32 Offset:u64)^BlockCount
///
/// `Method` 0 is stored as is, 1 is one zstd frame of `RawLength` bytes. `Offset` is from the
/// start of the file; `IndexOffset` points at `BlockIndex`. A document larger than a block
/// gets a block of its own.
///
/// Why zstd at level 1 in 16 KB blocks (measured on SciFact's 7.8 MB of text with
/// `dossier-bench index-codecs`): blocks keep 42.8 % of the raw bytes at about 200 MB/s and a
/// random document costs about 18 µs to fetch; level 3 saves 1.3 points more at 10 % less speed,
/// 64 KB blocks save 3 points at 2.5x the fetch time. LZ4 (the `lz4` tool, 64 KB blocks) keeps
/// 56 % at 410 MB/s: a quarter larger on disk for compression time we can spend elsewhere.
package enum _StoredFormat {
  /// The default uncompressed size at which a block is closed.
  package static let defaultBlockSize = 16 * 1024
  /// The default zstd level.
  package static let defaultLevel: Int32 = 1
}

/// Builds the blocks of a `.store` file in memory as documents arrive (compressing each block
/// as it fills), then streams them out.
///
///     let w = _StoredFieldsWriter()
///     w.add(blob)                      // doc 0, 1, 2, ...
///     try w.drain(to: fileWriter)      // any time: writes the finished blocks
///     try w.finish(to: fileWriter)     // last block, the index and the footer
///
/// Memory: the current raw block plus the compressed blocks not yet drained.
package final class _StoredFieldsWriter {
  let blockSize: Int
  let level: Int32
  private var cctx: OpaquePointer?
  private var lengths: [Int] = []
  private var raw: [UInt8] = []
  private var blockFirstDoc: UInt32 = 0
  private var docCount: UInt32 = 0
  private var pending = _ByteBuffer()
  private var pendingStart = _FileFormat.headerSize
  private var index: [(UInt32, UInt64)] = []
  private var scratch: [UInt8] = []
  private var assembled = _ByteBuffer()
  /// Raw (uncompressed) bytes added, and bytes after compression, for measurements.
  package private(set) var rawBytes = 0
  package private(set) var storedBytes = 0

  package init(blockSize: Int = _StoredFormat.defaultBlockSize, level: Int32 = _StoredFormat.defaultLevel) {
    self.blockSize = blockSize
    self.level = level
    cctx = ZSTD_createCCtx()
  }

  deinit { ZSTD_freeCCtx(cctx) }

  /// Documents added.
  package var count: UInt32 { docCount }
  /// Bytes held in memory.
  package var ramBytesUsed: Int {
    raw.capacity + pending.bytes.capacity + lengths.capacity * 8 + index.count * 16
  }

  package func add(_ blob: [UInt8]) { blob.withUnsafeBytes { add($0) } }

  /// Adds the next document's blob.
  package func add(_ blob: UnsafeRawBufferPointer) {
    lengths.append(blob.count)
    raw.append(contentsOf: blob)
    docCount += 1
    rawBytes += blob.count
    if raw.count >= blockSize { _closeBlock() }
  }

  private func _closeBlock() {
    guard !lengths.isEmpty else { return }
    assembled.removeAll()
    for l in lengths { assembled.vint(l) }
    assembled.append(raw)
    let input = assembled.bytes
    let bound = ZSTD_compressBound(input.count)
    if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
    let compressed = input.withUnsafeBytes { src in
      scratch.withUnsafeMutableBytes { dst in
        ZSTD_compressCCtx(cctx, dst.baseAddress, bound, src.baseAddress, src.count, level)
      }
    }
    index.append((blockFirstDoc, UInt64(pendingStart + pending.count)))
    pending.vint(lengths.count)
    pending.vint(input.count)
    if ZSTD_isError(compressed) == 0 && compressed < input.count {
      pending.u8(1)
      pending.vint(compressed)
      pending.append(scratch[0..<compressed])
      storedBytes += compressed
    } else {
      pending.u8(0)
      pending.vint(input.count)
      pending.append(input)
      storedBytes += input.count
    }
    blockFirstDoc = docCount
    lengths.removeAll(keepingCapacity: true)
    raw.removeAll(keepingCapacity: true)
  }

  /// Appends a whole compressed block of another `.store` file as it is (bulk merge): closes
  /// the current block first. `bytes` is the block from its `DocCount` to its end.
  package func addRawBlock(_ bytes: UnsafeRawBufferPointer, docCount n: Int, rawLength: Int) {
    _closeBlock()
    index.append((docCount, UInt64(pendingStart + pending.count)))
    pending.append(bytes)
    docCount += UInt32(n)
    blockFirstDoc = docCount
    rawBytes += rawLength
    storedBytes += bytes.count
  }

  /// Writes the finished blocks to `w` (which must have written nothing but its header and
  /// earlier drains).
  package func drain(to w: _IndexFileWriter) throws {
    precondition(w.position == pendingStart)
    try w.write(pending)
    pendingStart += pending.count
    pending.removeAll()
  }

  /// Closes the last block, writes everything left, the block index and the footer.
  package func finish(to w: _IndexFileWriter) throws {
    _closeBlock()
    try drain(to: w)
    let indexOffset = w.position
    var b = _ByteBuffer()
    b.u32(UInt32(index.count))
    for (first, offset) in index {
      b.u32(first)
      b.u64(offset)
    }
    b.u64(UInt64(indexOffset))
    try w.write(b)
    try w.finish()
  }
}

/// Random access to the documents of a mapped `.store` file.
///
///     let blob = try store.document(42)
///
/// Cost of `document`: a binary search over the block index and the decompression of one block
/// (16 KB: tens of microseconds). Safe from any thread.
package struct _StoredFieldsReader: @unchecked Sendable {
  let data: UnsafeRawBufferPointer
  let file: String
  let blockCount: Int
  let indexStart: Int
  let docCount: UInt32

  /// Checks the block index of a checked file (`data` is the whole file without its footer).
  init(data: UnsafeRawBufferPointer, file: String, docCount: UInt32) throws {
    self.data = data
    self.file = file
    self.docCount = docCount
    var r = _ByteReader(data, at: max(0, data.count - 8), file: file)
    let indexOffset = try r.u64()
    guard indexOffset >= UInt64(_FileFormat.headerSize), indexOffset <= UInt64(data.count - 8) else {
      throw r.corrupt("block index offset \(indexOffset) out of range")
    }
    r.pos = Int(indexOffset)
    let n = Int(try r.u32())
    guard n * 12 == data.count - 8 - r.pos else { throw r.corrupt("block index size does not match") }
    blockCount = n
    indexStart = r.pos
    if n == 0 && docCount > 0 { throw r.corrupt("no blocks for \(docCount) docs") }
    var prev: UInt32 = 0
    var prevOff: UInt64 = 0
    for i in 0..<n {
      let (first, off) = _entry(i)
      guard (i == 0 && first == 0) || (i > 0 && first > prev), first < max(docCount, 1) else {
        throw r.corrupt("block \(i) starts at doc \(first)")
      }
      guard off >= UInt64(_FileFormat.headerSize), off < indexOffset, i == 0 || off > prevOff else {
        throw r.corrupt("block \(i) at offset \(off) out of order")
      }
      prev = first
      prevOff = off
    }
  }

  @inline(__always) func _entry(_ i: Int) -> (UInt32, UInt64) {
    let p = indexStart + 12 * i
    return (
      UInt32(littleEndian: data.loadUnaligned(fromByteOffset: p, as: UInt32.self)),
      UInt64(littleEndian: data.loadUnaligned(fromByteOffset: p + 4, as: UInt64.self))
    )
  }

  /// The blocks: first doc and offset (verification, merges).
  var blocks: Int { blockCount }

  /// Decompresses block `i`; returns the doc lengths and raw bytes (lengths prefix skipped).
  func _block(_ i: Int) throws -> (first: UInt32, lengths: [Int], raw: [UInt8], dataStart: Int) {
    let (first, off) = _entry(i)
    var r = _ByteReader(data, at: Int(off), file: file)
    let n = try r.vint(max: Int(docCount))
    let rawLength = try r.vint(max: 1 << 31)
    let method = try r.u8()
    let storedLength = try r.vint(max: data.count)
    let stored = try r.bytes(storedLength)
    let next = i + 1 < blockCount ? Int(_entry(i + 1).1) : indexStart
    guard r.pos <= next else { throw r.corrupt("block \(i) overruns the next") }
    var raw: [UInt8]
    switch method {
    case 0:
      guard storedLength == rawLength else { throw r.corrupt("raw block \(i) has two lengths") }
      raw = [UInt8](stored)
    case 1:
      // The frame states its size: check it before allocating.
      guard ZSTD_getFrameContentSize(stored.baseAddress, stored.count) == UInt64(rawLength) else {
        throw r.corrupt("block \(i) frame size does not match")
      }
      raw = [UInt8](repeating: 0, count: rawLength)
      let got = raw.withUnsafeMutableBytes { dst in
        _DecompressionContexts.shared.withContext { dctx in
          ZSTD_decompressDCtx(dctx, dst.baseAddress, rawLength, stored.baseAddress, stored.count)
        }
      }
      guard ZSTD_isError(got) == 0, got == rawLength else {
        throw r.corrupt("block \(i) does not decompress")
      }
    default: throw r.corrupt("block \(i) has unknown compression method \(method)")
    }
    let expected = i + 1 < blockCount ? _entry(i + 1).0 - first : docCount &- first
    guard n == Int(expected) else { throw r.corrupt("block \(i) has \(n) docs, the index says \(expected)") }
    var lengths: [Int] = []
    lengths.reserveCapacity(n)
    var total = 0
    let dataStart = try raw.withUnsafeBytes { rb -> Int in
      var rr = _ByteReader(rb, file: file)
      for _ in 0..<n {
        let l = try rr.vint(max: rawLength)
        lengths.append(l)
        total += l
      }
      return rr.pos
    }
    guard dataStart + total == rawLength else { throw r.corrupt("block \(i) lengths do not add up") }
    return (first, lengths, raw, dataStart)
  }

  /// The index of the block holding `doc`.
  func _blockIndex(of doc: UInt32) -> Int {
    var lo = 0
    var hi = blockCount - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if _entry(mid).0 <= doc { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The blob of `doc`.
  package func document(_ doc: UInt32) throws -> [UInt8] {
    precondition(doc < docCount, "doc \(doc) out of range")
    let b = try _block(_blockIndex(of: doc))
    var start = b.dataStart
    let k = Int(doc - b.first)
    for j in 0..<k { start += b.lengths[j] }
    return Array(b.raw[start..<start + b.lengths[k]])
  }

  /// Block `i` as stored (from its `DocCount` to the next block), with its first doc, doc count
  /// and raw length, for bulk merges.
  func _rawBlock(_ i: Int) throws -> (
    first: UInt32, count: Int, rawLength: Int, bytes: UnsafeRawBufferPointer
  ) {
    let (first, off) = _entry(i)
    let end = i + 1 < blockCount ? Int(_entry(i + 1).1) : indexStart
    var r = _ByteReader(data, at: Int(off), file: file)
    let n = try r.vint(max: Int(docCount))
    let rawLength = try r.vint(max: 1 << 31)
    let expected = i + 1 < blockCount ? _entry(i + 1).0 - first : docCount &- first
    guard n == Int(expected), end >= r.pos, end <= data.count else {
      throw r.corrupt("block \(i) does not match the block index")
    }
    return (first, n, rawLength, UnsafeRawBufferPointer(rebasing: data[Int(off)..<end]))
  }

  /// Calls `body` with every document's blob in doc order (merges, verification).
  package func forEachDocument(_ body: (UInt32, UnsafeRawBufferPointer) throws -> Void) throws {
    var doc: UInt32 = 0
    for i in 0..<blockCount {
      let b = try _block(i)
      var start = b.dataStart
      try b.raw.withUnsafeBytes { rb in
        for l in b.lengths {
          try body(doc, UnsafeRawBufferPointer(rebasing: rb[start..<start + l]))
          start += l
          doc += 1
        }
      }
    }
  }
}

/// A reader over a whole `.store` file, for benchmarks (checks the envelope).
package func _storedReaderForBench(_ f: FileBytes, docCount: UInt32) throws -> _StoredFieldsReader {
  _ = try _FileFormat.openBody(f, kind: "STOR", segmentID: nil, verifyChecksum: true)
  return try _StoredFieldsReader(
    data: UnsafeRawBufferPointer(rebasing: f.bytes[0..<f.count - 8]), file: f.name, docCount: docCount)
}

/// A few zstd decompression contexts kept for reuse (creating one allocates about 100 KB), so a
/// document fetch costs no allocation beyond its block. Safe from any thread.
final class _DecompressionContexts: Sendable {
  static let shared = _DecompressionContexts()
  private struct _Pointers: @unchecked Sendable { var free: [OpaquePointer] = [] }
  private let pool = Mutex(_Pointers())

  func withContext<R>(_ body: (OpaquePointer?) -> R) -> R {
    let ctx = pool.withLock { $0.free.popLast() } ?? ZSTD_createDCtx()
    defer {
      let kept = pool.withLock { p -> Bool in
        guard p.free.count < 8, let ctx else { return false }
        p.free.append(ctx)
        return true
      }
      if !kept { ZSTD_freeDCtx(ctx) }
    }
    return body(ctx)
  }
}
