/// The deleted documents of a segment: a bitset, written as a new file at each generation
/// (`<segment>.<gen>.del`), never modified in place.
///
/// Grammar (`.del`, kind `DELS`):
///
///     DelFile := Header Generation:u64 DocCount:u32 DeletedCount:u32 Word:u64^ceil(DocCount / 64)
///                Footer
///
/// Bit `d % 64` of word `d / 64` is set when doc `d` is deleted; bits past `DocCount` are 0.
///
///     var dels = DeletionSet(docCount: reader.info.docCount)
///     dels.delete(7)
///     try dels.write(to: dir, segment: "seg_1", segmentID: id, generation: 1)
///
/// Cost: docCount / 8 bytes.
package struct DeletionSet: Sendable, Hashable {
  /// Documents covered (the segment's doc count).
  package let docCount: UInt32
  package private(set) var words: [UInt64]
  /// How many documents are deleted.
  package private(set) var deletedCount: UInt32 = 0

  package init(docCount: UInt32) {
    self.docCount = docCount
    self.words = [UInt64](repeating: 0, count: (Int(docCount) + 63) / 64)
  }

  /// The file name of generation `generation`.
  package static func fileName(segment: String, generation: UInt64) -> String {
    "\(segment).\(generation).del"
  }

  /// Whether `doc` is deleted.
  @inline(__always) package func contains(_ doc: UInt32) -> Bool {
    let d = Int(doc)
    guard d < Int(docCount) else { return false }
    return words[d >> 6] & (1 << UInt64(d & 63)) != 0
  }

  /// Marks `doc` deleted; returns whether it was live before.
  @discardableResult
  package mutating func delete(_ doc: UInt32) -> Bool {
    precondition(doc < docCount, "doc \(doc) out of range")
    let d = Int(doc)
    let bit: UInt64 = 1 << UInt64(d & 63)
    if words[d >> 6] & bit != 0 { return false }
    words[d >> 6] |= bit
    deletedCount += 1
    return true
  }

  /// Writes `<segment>.<generation>.del`.
  package func write(to directory: any Directory, segment: String, segmentID: UInt64, generation: UInt64)
    throws
  {
    let w = try _IndexFileWriter(
      directory, name: Self.fileName(segment: segment, generation: generation), kind: "DELS",
      segmentID: segmentID)
    var b = _ByteBuffer(capacity: 16 + words.count * 8)
    b.u64(generation)
    b.u32(docCount)
    b.u32(deletedCount)
    for word in words { b.u64(word) }
    try w.write(b)
    try w.finish()
  }

  /// Reads and checks (always checksummed) `<segment>.<generation>.del`.
  package static func read(
    from directory: any Directory, segment: String, segmentID: UInt64, generation: UInt64, docCount: UInt32
  ) throws -> DeletionSet {
    let file = try directory.openInput(fileName(segment: segment, generation: generation))
    let body = try _FileFormat.openBody(file, kind: "DELS", segmentID: segmentID, verifyChecksum: true)
    var r = _ByteReader(body, file: file.name)
    guard try r.u64() == generation else { throw r.corrupt("generation differs from the file name's") }
    let n = try r.u32()
    guard n == docCount else { throw r.corrupt("covers \(n) docs, the segment has \(docCount)") }
    let deleted = try r.u32()
    var set = DeletionSet(docCount: n)
    var total: UInt32 = 0
    for i in 0..<set.words.count {
      let word = try r.u64()
      set.words[i] = word
      total += UInt32(word.nonzeroBitCount)
    }
    guard r.atEnd else { throw r.corrupt("\(r.remaining) unexpected bytes after the bitset") }
    if n % 64 != 0, let last = set.words.last, last >> UInt64(n % 64) != 0 {
      throw r.corrupt("bits set past the last document")
    }
    guard total == deleted else { throw r.corrupt("header says \(deleted) deleted, bitset has \(total)") }
    set.deletedCount = total
    return set
  }
}
