/// A point-in-time view of a committed index: the segments of one manifest, open and mapped.
///
/// Readers never take the writer lock and are never blocked by it. A snapshot keeps its files
/// mapped, so it stays valid while a writer commits, merges and deletes the files it no longer
/// needs (on POSIX systems a deleted file lives on while mapped). Open a new snapshot to see
/// later commits. Immutable and `Sendable`.
///
///     let snapshot = try IndexSnapshot.open(dir)
///     for segment in snapshot.segments { ... segment.postings(field: 2, term: t) ... }
///
/// Cost of `open`: one read of the manifest and one `SegmentReader.open` per segment (without
/// checksums unless asked; `verify()` checks everything).
package final class IndexSnapshot: Sendable {
  package let manifest: Manifest
  package let segments: [SegmentReader]
  package let directory: any Directory

  init(manifest: Manifest, segments: [SegmentReader], directory: any Directory) {
    self.manifest = manifest
    self.segments = segments
    self.directory = directory
  }

  /// Opens the current commit of `directory`; nil when there is no index. A file removed by a
  /// concurrent commit between reading the manifest and opening it makes the open start over
  /// with the newer manifest.
  package static func open(_ directory: any Directory, verifyChecksums: Bool = false) throws -> IndexSnapshot?
  {
    var attempt = 0
    while true {
      guard let manifest = try Manifest.read(from: directory) else { return nil }
      do {
        let segments = try manifest.segments.map { entry in
          try openSegment(entry, in: directory, verifyChecksums: verifyChecksums)
        }
        return IndexSnapshot(manifest: manifest, segments: segments, directory: directory)
      } catch {
        // A newer commit may have replaced the manifest and removed our files: try again.
        attempt += 1
        let newer = (try? Manifest.read(from: directory))?.generation ?? manifest.generation
        if attempt < 5 && newer != manifest.generation { continue }
        throw error
      }
    }
  }

  static func openSegment(_ entry: Manifest.Segment, in directory: any Directory, verifyChecksums: Bool)
    throws
    -> SegmentReader
  {
    let reader = try SegmentReader.open(
      in: directory, segment: entry.name,
      deletionGeneration: entry.deletionGeneration > 0 ? entry.deletionGeneration : nil,
      verifyChecksums: verifyChecksums)
    guard reader.info.id == entry.id else {
      throw IndexError.corrupt(file: "\(entry.name).si", detail: "segment id differs from the manifest's")
    }
    guard reader.info.docCount == entry.docCount else {
      throw IndexError.corrupt(
        file: "\(entry.name).si",
        detail: "\(reader.info.docCount) documents, the manifest says \(entry.docCount)")
    }
    guard (reader.deletions?.deletedCount ?? 0) == entry.deletedCount else {
      throw IndexError.corrupt(
        file: DeletionSet.fileName(segment: entry.name, generation: entry.deletionGeneration),
        detail: "\(reader.deletions?.deletedCount ?? 0) deletions, the manifest says \(entry.deletedCount)")
    }
    return reader
  }

  /// Documents in all segments, deleted ones included.
  package var docCount: Int { segments.reduce(0) { $0 + Int($1.docCount) } }
  /// Live documents.
  package var liveDocCount: Int { segments.reduce(0) { $0 + Int($1.liveDocCount) } }

  /// The bytes of attachment `key` of this commit, or nil.
  package func attachment(_ key: String) throws -> [UInt8]? {
    guard let name = manifest.attachments[key] else { return nil }
    return try Attachment.read(from: directory, name: name)
  }

  /// Checks everything `dossier check` checks: every file's checksum, each segment's
  /// structure (`SegmentReader.verify`), the manifest's agreement with the segments, the
  /// attachments, and that no id is live twice. Throws the first problem, naming the file.
  package func verify(idField: String = "id") throws {
    for entry in manifest.segments {
      let reader = try Self.openSegment(entry, in: directory, verifyChecksums: true)
      try reader.verify()
    }
    for name in manifest.attachments.values {
      _ = try Attachment.read(from: directory, name: name)
    }
    if let field = segments.first?.info.schema.number(of: idField) {
      var seen: [ArraySlice<UInt8>: String] = [:]
      for segment in segments {
        var terms = segment.terms(field: field)
        while terms.next() {
          var postings = segment.postings(field: field, info: terms.info)
          var live = 0
          while postings.doc != PostingsCursor.noMoreDocs {
            if !segment.isDeleted(postings.doc) { live += 1 }
            postings.next()
          }
          guard live > 0 else { continue }
          if live > 1 || seen[terms.term] != nil {
            throw IndexError.corrupt(
              file: "\(segment.name).dict",
              detail: "id '\(String(decoding: terms.term, as: UTF8.self))' is live more than once")
          }
          seen[terms.term] = segment.name
        }
        if let error = terms.error { throw error }
      }
    }
  }
}
