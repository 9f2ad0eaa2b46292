/// The commit point of an index: which segments, at which deletion generation, make up the
/// index, with the index's settings and the files attached to the commit. A commit replaces it
/// atomically (written as `manifest.tmp`, synced, renamed over `manifest`, folder synced), so
/// a reader or a crash sees either the old commit or the new one, never a mixture.
///
/// Grammar (`manifest`, kind `MANI`; the header's id field holds the commit's random id):
///
///     Manifest   := Header Generation:u64 NextSegment:u64 Settings:Bytes
///                   SegmentCount:vint Segment^SegmentCount
///                   AttachmentCount:vint Attachment^AttachmentCount Footer
///     Segment    := Name:String ID:u64 DocCount:u32 DeletionGeneration:u64 DeletedCount:u32
///     Attachment := Key:String File:String
///     Bytes      := Length:vint byte^Length
///
/// `DeletionGeneration` 0 means no deletions file. `Settings` is opaque to the index (the
/// library keeps its analyzer and BM25 parameters there, as JSON). An attachment is a file the
/// commit owns (the source manifest of `dossier index`), in the attachment envelope.
///
///     var m = Manifest()
///     m.segments.append(.init(name: "seg_1", id: info.id, docCount: info.docCount))
///     try m.commit(to: dir)
///
/// Cost: O(segments) to read or write; a few hundred bytes for a typical index.
package struct Manifest: Sendable, Hashable {
  package struct Segment: Sendable, Hashable {
    package var name: String
    package var id: UInt64
    package var docCount: UInt32
    /// 0 when the segment has no deletions.
    package var deletionGeneration: UInt64 = 0
    package var deletedCount: UInt32 = 0

    package init(
      name: String, id: UInt64, docCount: UInt32, deletionGeneration: UInt64 = 0, deletedCount: UInt32 = 0
    ) {
      self.name = name
      self.id = id
      self.docCount = docCount
      self.deletionGeneration = deletionGeneration
      self.deletedCount = deletedCount
    }

    /// The segment's files at this commit, deletions included.
    package var fileNames: [String] {
      var names = SegmentInfo.fileExtensions.map { "\(name).\($0)" }
      if deletionGeneration > 0 {
        names.append(DeletionSet.fileName(segment: name, generation: deletionGeneration))
      }
      return names
    }
  }

  /// The file name of the current commit point.
  package static let fileName = "manifest"
  static let tempName = "manifest.tmp"

  /// Incremented by each commit; 0 before the first.
  package var generation: UInt64 = 0
  /// The number the next new segment is named after.
  package var nextSegment: UInt64 = 1
  package var settings: [UInt8] = []
  package var segments: [Segment] = []
  /// Key -> file name.
  package var attachments: [String: String] = [:]

  package init() {}

  /// Every file this commit references.
  package var referencedFiles: Set<String> {
    var names: Set<String> = [Self.fileName]
    for s in segments { names.formUnion(s.fileNames) }
    names.formUnion(attachments.values)
    return names
  }

  /// Live documents (not deleted).
  package var liveDocCount: Int { segments.reduce(0) { $0 + Int($1.docCount) - Int($1.deletedCount) } }

  func encode(commitID: UInt64, to directory: any Directory, name: String) throws {
    let w = try _IndexFileWriter(directory, name: name, kind: "MANI", segmentID: commitID)
    var b = _ByteBuffer()
    b.u64(generation)
    b.u64(nextSegment)
    b.vint(settings.count)
    b.append(settings)
    b.vint(segments.count)
    for s in segments {
      b.string(s.name)
      b.u64(s.id)
      b.u32(s.docCount)
      b.u64(s.deletionGeneration)
      b.u32(s.deletedCount)
    }
    b.vint(attachments.count)
    for key in attachments.keys.sorted() {
      b.string(key)
      b.string(attachments[key]!)
    }
    try w.write(b)
    try w.finish()
  }

  /// Reads the current commit point; nil when the index has none yet.
  package static func read(from directory: any Directory) throws -> Manifest? {
    guard directory.fileExists(fileName) else { return nil }
    let file = try directory.openInput(fileName)
    return try parse(file)
  }

  static func parse(_ file: FileBytes) throws -> Manifest {
    let body = try _FileFormat.openBody(file, kind: "MANI", segmentID: nil, verifyChecksum: true)
    var r = _ByteReader(body, file: file.name)
    var m = Manifest()
    m.generation = try r.u64()
    m.nextSegment = try r.u64()
    let settingsLength = try r.vint(max: body.count)
    m.settings = Array(try r.bytes(settingsLength))
    let count = try r.vint(max: 1 << 20)
    var names: Set<String> = []
    for _ in 0..<count {
      let name = try r.string()
      let id = try r.u64()
      let docCount = try r.u32()
      let generation = try r.u64()
      let deleted = try r.u32()
      guard deleted <= docCount else { throw r.corrupt("segment \(name): \(deleted) deleted of \(docCount)") }
      guard generation > 0 || deleted == 0 else {
        throw r.corrupt("segment \(name): deletions without a file")
      }
      guard !name.isEmpty, !name.contains("/"), names.insert(name).inserted else {
        throw r.corrupt("bad or repeated segment name '\(name)'")
      }
      m.segments.append(
        Segment(name: name, id: id, docCount: docCount, deletionGeneration: generation, deletedCount: deleted)
      )
    }
    let attachments = try r.vint(max: 1 << 10)
    for _ in 0..<attachments {
      let key = try r.string()
      let name = try r.string()
      guard !name.contains("/") else { throw r.corrupt("bad attachment file name '\(name)'") }
      m.attachments[key] = name
    }
    guard r.atEnd else { throw r.corrupt("\(r.remaining) unexpected bytes after the attachments") }
    return m
  }

  /// Publishes this manifest as the current commit point: written to a temporary file,
  /// synced, renamed over `manifest`, and the folder synced. The files it references must
  /// already be synced.
  package func commit(to directory: any Directory) throws {
    if directory.fileExists(Self.tempName) { try directory.delete(Self.tempName) }
    try encode(commitID: UInt64.random(in: 1...UInt64.max), to: directory, name: Self.tempName)
    try directory.sync([Self.tempName])
    try directory.rename(Self.tempName, to: Self.fileName)
    try directory.syncDirectory()
  }
}

/// A file a commit owns, opaque to the index, in the common envelope (kind `ATTC`).
///
///     Attachment := Header Bytes:byte* Footer
package enum Attachment {
  package static func write(_ bytes: [UInt8], to directory: any Directory, name: String) throws {
    let w = try _IndexFileWriter(directory, name: name, kind: "ATTC", segmentID: 0)
    try w.write(bytes)
    try w.finish()
  }

  package static func read(from directory: any Directory, name: String) throws -> [UInt8] {
    let file = try directory.openInput(name)
    let body = try _FileFormat.openBody(file, kind: "ATTC", segmentID: 0, verifyChecksum: true)
    return Array(body)
  }
}
