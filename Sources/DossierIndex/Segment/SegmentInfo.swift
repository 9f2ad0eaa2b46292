/// What a segment is: its name, random id, document count, schema and per-field statistics.
/// Written last by `SegmentWriter`, as `<segment>.si`.
///
/// Grammar (`.si`, kind `SINF`):
///
///     SegmentInfo := Header Name:String SegmentID:u64 DocCount:u32 FieldCount:vint
///                    Field^FieldCount Footer
///     Field       := Number:u8 Name:String Kind:u8 Flags:u8 DocCount:u32 TotalTokens:u64
///                    TermCount:vint
///     String      := Length:vint byte^Length                       (UTF-8)
///
/// `Kind` is 1 text, 2 keyword, 3 numeric; `Flags` bit 0 is "positions indexed".
///
///     let info = try SegmentInfo.read(from: dir, segment: "seg_1")
package struct SegmentInfo: Sendable, Hashable {
  /// The segment's name, the prefix of all its files.
  package var name: String
  /// A random id, repeated in every file header of the segment.
  package var id: UInt64
  /// Documents in the segment, deleted ones included; doc ids are 0..<docCount.
  package var docCount: UInt32
  package var schema: FieldSchema
  /// Indexed by field number.
  package var fieldStats: [FieldStats]

  package init(name: String, id: UInt64, docCount: UInt32, schema: FieldSchema, fieldStats: [FieldStats]) {
    precondition(fieldStats.count == schema.count)
    self.name = name
    self.id = id
    self.docCount = docCount
    self.schema = schema
    self.fieldStats = fieldStats
  }

  /// The file extensions of a segment (deletions, `.<gen>.del`, are separate).
  package static let fileExtensions = ["si", "dict", "doc", "pos", "store", "norm", "num"]

  /// The names of the segment's files (without deletions).
  package var fileNames: [String] { Self.fileExtensions.map { "\(name).\($0)" } }

  /// Writes `<name>.si`.
  package func write(to directory: any Directory) throws {
    let w = try _IndexFileWriter(directory, name: "\(name).si", kind: "SINF", segmentID: id)
    var b = _ByteBuffer()
    b.string(name)
    b.u64(id)
    b.u32(docCount)
    b.vint(schema.count)
    for f in schema.fields {
      b.u8(f.number)
      b.string(f.name)
      b.u8(f.kind.rawValue)
      b.u8(f.positions ? 1 : 0)
      let s = fieldStats[Int(f.number)]
      b.u32(s.docCount)
      b.u64(s.totalTokens)
      b.vint(s.termCount)
    }
    try w.write(b)
    try w.finish()
  }

  /// Reads and checks `<segment>.si` (always checksummed: it is small).
  package static func read(from directory: any Directory, segment: String) throws -> SegmentInfo {
    let file = try directory.openInput("\(segment).si")
    return try parse(file)
  }

  static func parse(_ file: FileBytes) throws -> SegmentInfo {
    let body = try _FileFormat.openBody(file, kind: "SINF", segmentID: nil, verifyChecksum: true)
    var r = _ByteReader(body, file: file.name)
    let name = try r.string()
    let id = try r.u64()
    let headerID = UInt64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: 12, as: UInt64.self))
    guard id == headerID else { throw r.corrupt("segment id differs from the header's") }
    let docCount = try r.u32()
    let n = try r.vint(max: 255)
    var fields: [FieldInfo] = []
    var stats: [FieldStats] = []
    for i in 0..<n {
      let number = try r.u8()
      guard Int(number) == i else { throw r.corrupt("field \(i) has number \(number)") }
      let fname = try r.string()
      guard let kind = FieldKind(rawValue: try r.u8()) else { throw r.corrupt("unknown field kind") }
      let flags = try r.u8()
      guard flags <= 1 else { throw r.corrupt("unknown field flags \(flags)") }
      fields.append(FieldInfo(number: number, name: fname, kind: kind, positions: flags & 1 != 0))
      stats.append(FieldStats(docCount: try r.u32(), totalTokens: try r.u64(), termCount: try r.vint()))
    }
    guard r.atEnd else { throw r.corrupt("\(r.remaining) unexpected bytes after the fields") }
    guard Set(fields.map(\.name)).count == fields.count else { throw r.corrupt("duplicate field names") }
    return SegmentInfo(name: name, id: id, docCount: docCount, schema: FieldSchema(fields), fieldStats: stats)
  }
}
