import Dispatch
import Synchronization

/// Adds, updates and deletes documents by id, and publishes them in atomic commits.
///
/// The one writer of an index (it holds the `WriterLock` until `close`). Documents are
/// buffered in a `SegmentWriter` up to `ramBudget` bytes, then flushed as a new segment; deletes
/// and updates by id are recorded and applied to the older segments at each flush; `commit`
/// flushes, lets the merge policy merge, writes the new deletion generations and attachments,
/// syncs every new file and the folder, and replaces the manifest atomically. A crash at any
/// moment leaves the last commit intact; files no commit names are removed when a writer next
/// opens or commits.
///
///     let w = try IndexWriter(directory: dir, schema: .standard, create: settings)
///     w.update(doc, id: Array("report-1".utf8))
///     w.delete(id: Array("report-0".utf8))
///     try w.commit(attachments: ["sources": manifestBytes])
///     w.close()
///
/// After a failed flush or commit the writer refuses further work (`IndexError.io` naming the
/// first failure): close it and open a new one, which starts again from the last commit.
///
/// Cost: `update` is O(tokens); a flush writes the buffered segment (see `SegmentWriter`) and
/// looks each pending id up in every older segment; merges stream (see `SegmentMerger`).
package final class IndexWriter {
  package let directory: any Directory
  package let schema: FieldSchema
  /// The last commit made or found.
  package private(set) var committed: Manifest
  /// Settings stored in the manifest at the next commit.
  package var settings: [UInt8]
  package var ramBudget: Int
  package var mergePolicy = TieredMergePolicy()
  /// Stored-fields block size for new segments.
  package var storedBlockSize = _StoredFormat.defaultBlockSize

  struct Segment {
    var entry: Manifest.Segment
    var reader: SegmentReader
    var deletions: DeletionSet?
    /// Deletions changed since they were last written.
    var dirty = false
  }

  var segments: [Segment] = []
  var nextSegment: UInt64
  /// The buffers documents go to: one for `update`, one per lane for `apply(_:lanes:)` (each
  /// becomes a segment of its own at a flush). Empty when nothing is buffered.
  var buffers: [SegmentWriter] = []
  /// Buffered docs by id, the latest one for each id: its buffer and doc id there.
  var bufferIDs: [_IDKey: _BufferedDoc] = [:]
  /// Per buffer, its docs replaced before they were flushed.
  var bufferDeleted: [[UInt32]] = []
  /// Ids whose documents in the segments before the buffer must go at the next flush.
  var pendingDeletes: Set<_IDKey> = []
  /// Files written since the last commit, to sync at the next.
  var unsynced: Set<String> = []
  var attachments: [String: String]
  let lock: WriterLock
  let idField: FieldNumber
  var failure: Error?

  /// Opens the index in `directory` for writing. With `create` (the settings of a new index),
  /// an index is created if there is none; without, a missing index is an error. Takes the
  /// writer lock (`IndexError.busy` unless `wait`).
  package init(
    directory: any Directory, schema: FieldSchema, create: [UInt8]? = nil, wait: Bool = false,
    ramBudget: Int = 256 << 20, idField: String = "id"
  ) throws {
    guard let idNumber = schema.number(of: idField), schema[idNumber].kind == .keyword else {
      preconditionFailure("the schema needs a keyword field \(idField)")
    }
    self.directory = directory
    self.schema = schema
    self.ramBudget = ramBudget
    self.idField = idNumber
    lock = try WriterLock.acquire(directory, wait: wait)
    if let manifest = try Manifest.read(from: directory) {
      committed = manifest
    } else if let create {
      committed = Manifest()
      committed.settings = create
    } else {
      lock.release()
      throw IndexError.io(path: Manifest.fileName, message: "no index here (no manifest)")
    }
    settings = committed.settings
    nextSegment = committed.nextSegment
    attachments = committed.attachments
    do {
      for entry in committed.segments {
        let reader = try SegmentReader.open(
          in: directory, segment: entry.name,
          deletionGeneration: entry.deletionGeneration > 0 ? entry.deletionGeneration : nil,
          verifyChecksums: false)
        guard reader.info.id == entry.id, reader.info.docCount == entry.docCount,
          reader.deletions?.deletedCount ?? 0 == entry.deletedCount
        else {
          throw IndexError.corrupt(file: "\(entry.name).si", detail: "does not match the manifest's entry")
        }
        guard reader.info.schema == schema else {
          throw IndexError.corrupt(file: "\(entry.name).si", detail: "schema differs from the index's")
        }
        segments.append(Segment(entry: entry, reader: reader, deletions: reader.deletions))
      }
      try removeUnreferencedFiles()
    } catch {
      lock.release()
      throw error
    }
  }

  /// Releases the lock; changes since the last commit are dropped.
  package func close() {
    buffers = []
    lock.release()
  }

  deinit { lock.release() }

  /// Documents in the buffer.
  package var bufferedDocCount: Int { buffers.reduce(0) { $0 + Int($1.docCount) } }
  /// Memory held by the buffer.
  package var bufferedBytes: Int { buffers.reduce(0) { $0 + $1.ramBytesUsed } }
  /// Segments (committed and flushed).
  package var segmentCount: Int { segments.count }

  func checkUsable() throws {
    if let failure {
      throw IndexError.io(
        path: directory is FileDirectory ? (directory as! FileDirectory).path : "index",
        message: "the writer failed earlier (\(failure)); reopen it")
    }
  }

  // MARK: Documents

  /// Adds `doc`, replacing every document with the same id. Flushes when the buffer passes the
  /// RAM budget.
  package func update(_ doc: SegmentDocument, id: [UInt8]) throws {
    try checkUsable()
    let key = _IDKey(id)
    pendingDeletes.insert(key)
    replace(key, with: _BufferedDoc(buffer: 0, doc: buffer(0).add(identified(doc, id))))
    if bufferedBytes >= ramBudget { try flush() }
  }

  /// Deletes every document with this id.
  package func delete(id: [UInt8]) throws {
    try checkUsable()
    forget(_IDKey(id))
  }

  /// One change of `apply(_:lanes:)`.
  package enum Change {
    case update(SegmentDocument, id: [UInt8])
    case delete(id: [UInt8])
  }

  /// Applies `changes` in order, as `update` and `delete` one by one would, but builds the
  /// updated documents into `lanes` buffers at once, on as many threads: each lane takes a
  /// contiguous share of the updates and becomes a segment of its own at the next flush.
  /// Which document an id ends with is decided first, in order, on the calling thread (so the
  /// latest change wins whatever the threads do); only the segment building runs in parallel.
  ///
  ///     try writer.apply(batch.map { .update($0.fields, id: $0.id) }, lanes: 2)
  ///
  /// Cost: as `update` for each document, divided among the lanes; flushes when the buffers
  /// pass the RAM budget (after the changes).
  package func apply(_ changes: [Change], lanes: Int) throws {
    try checkUsable()
    let lanes = max(1, lanes)
    let updates = changes.reduce(0) { if case .update = $1 { $0 + 1 } else { $0 } }
    // The documents each lane will add, in order, with the ids they will get.
    var perLane = [[SegmentDocument]](repeating: [], count: lanes)
    var next = (0..<lanes).map { UInt32(buffer($0).docCount) }
    var seen = 0
    for change in changes {
      switch change {
      case .update(let doc, let id):
        let lane = seen * lanes / max(updates, 1)
        seen += 1
        let key = _IDKey(id)
        pendingDeletes.insert(key)
        perLane[lane].append(identified(doc, id))
        replace(key, with: _BufferedDoc(buffer: lane, doc: next[lane]))
        next[lane] += 1
      case .delete(let id):
        forget(_IDKey(id))
      }
    }
    // Lane i touches only buffer i and its own documents.
    let work = _Unchecked(((0..<lanes).map { buffer($0) }, perLane))
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      for doc in work.value.1[lane] { work.value.0[lane].add(doc) }
    }
    for lane in 0..<lanes {
      precondition(buffers[lane].docCount == next[lane], "a lane added documents out of turn")
    }
    if bufferedBytes >= ramBudget { try flush() }
  }

  /// Buffer `i`, created (with those before it) when missing.
  func buffer(_ i: Int) -> SegmentWriter {
    while buffers.count <= i {
      buffers.append(SegmentWriter(schema: schema, storedBlockSize: storedBlockSize))
      bufferDeleted.append([])
    }
    return buffers[i]
  }

  /// `doc` with `id` as the value of its id field (itself when it already is: `DocumentMapper`
  /// fills it, and a copy would copy the keyword arrays).
  func identified(_ doc: SegmentDocument, _ id: [UInt8]) -> SegmentDocument {
    if doc.keywords[Int(idField)].count == 1 && doc.keywords[Int(idField)][0] == id { return doc }
    var doc = doc
    doc.keywords[Int(idField)] = [id]
    return doc
  }

  /// Deletes the buffered document of `key`, if any, and, at the next flush, its documents in
  /// the segments before.
  func forget(_ key: _IDKey) {
    if let old = bufferIDs.removeValue(forKey: key) { bufferDeleted[old.buffer].append(old.doc) }
    pendingDeletes.insert(key)
  }

  /// Records `doc` as the latest document of `key`; an earlier buffered one is deleted.
  func replace(_ key: _IDKey, with doc: _BufferedDoc) {
    if let old = bufferIDs.updateValue(doc, forKey: key) { bufferDeleted[old.buffer].append(old.doc) }
  }

  /// The live documents with this id, in flushed segments and the buffer (for tests and tools).
  package func liveCount(id: [UInt8]) -> Int {
    var n = bufferIDs[_IDKey(id)] != nil ? 1 : 0
    // A pending delete removes every older copy at the next flush.
    guard !pendingDeletes.contains(_IDKey(id)) else { return n }
    for s in segments {
      n +=
        s.reader.keywordDocs(field: idField, value: id).filter { !(s.deletions?.contains($0) ?? false) }.count
    }
    return n
  }

  // MARK: Flush, merge, commit

  func newSegmentName() -> String {
    defer { nextSegment += 1 }
    return "seg_\(String(nextSegment, radix: 36))"
  }

  /// Applies pending deletes to the flushed segments and writes the buffer as a new segment
  /// (not yet committed).
  package func flush() throws {
    try checkUsable()
    do {
      try _flush()
    } catch {
      failure = error
      throw error
    }
  }

  func _flush() throws {
    // Deletes first: they concern documents older than the buffer.
    if !pendingDeletes.isEmpty {
      for i in segments.indices {
        for id in pendingDeletes {
          for d in segments[i].reader.keywordDocs(field: idField, value: id.bytes) {
            if segments[i].deletions == nil {
              segments[i].deletions = DeletionSet(docCount: segments[i].entry.docCount)
            }
            if segments[i].deletions!.delete(d) { segments[i].dirty = true }
          }
        }
      }
      pendingDeletes.removeAll()
    }
    // Each buffer becomes a segment, in order; the buffers of lanes are written at once, on as
    // many threads (each to files of its own).
    let full = buffers.indices.filter { buffers[$0].docCount > 0 }
    let names = full.map { _ in newSegmentName() }
    let written = Mutex([Result<SegmentInfo, any Error>?](repeating: nil, count: full.count))
    let work = _Unchecked((buffers, directory))
    if full.count == 1 {
      written.withLock { $0[0] = Result { try buffers[full[0]].flush(to: directory, name: names[0]) } }
    } else if full.count > 1 {
      DispatchQueue.concurrentPerform(iterations: full.count) { k in
        let result = Result { try work.value.0[full[k]].flush(to: work.value.1, name: names[k]) }
        written.withLock { $0[k] = result }
      }
    }
    let results = written.withLock { $0 }
    for (k, i) in full.enumerated() {
      let name = names[k]
      let info = try results[k]!.get()
      unsynced.formUnion(info.fileNames)
      let reader = try SegmentReader.open(in: directory, segment: name, verifyChecksums: false)
      var segment = Segment(
        entry: Manifest.Segment(name: name, id: info.id, docCount: info.docCount), reader: reader,
        deletions: nil)
      if !bufferDeleted[i].isEmpty {
        var dels = DeletionSet(docCount: info.docCount)
        for d in bufferDeleted[i] { dels.delete(d) }
        segment.deletions = dels
        segment.dirty = true
      }
      segments.append(segment)
    }
    buffers = []
    bufferIDs.removeAll()
    bufferDeleted = []
  }

  /// Merges the given segments (by index into `segments`) into one.
  func merge(_ indices: [Int]) throws {
    let inputs = indices.map { segments[$0].reader.withDeletions(segments[$0].deletions, generation: nil) }
    let live = inputs.reduce(0) { $0 + Int($1.liveDocCount) }
    var merged: Segment? = nil
    if live > 0 {
      let name = newSegmentName()
      let result = try SegmentMerger.merge(
        inputs, into: directory, name: name, storedBlockSize: storedBlockSize)
      unsynced.formUnion(result.info.fileNames)
      let reader = try SegmentReader.open(in: directory, segment: name, verifyChecksums: false)
      merged = Segment(
        entry: Manifest.Segment(name: name, id: result.info.id, docCount: result.info.docCount),
        reader: reader,
        deletions: nil)
    }
    // The merged segment takes the place of the first input, keeping the order of documents.
    let first = indices.min()!
    var kept: [Segment] = []
    for (i, s) in segments.enumerated() {
      if i == first, let merged { kept.append(merged) }
      if !indices.contains(i) { kept.append(s) }
    }
    segments = kept
  }

  func runMergePolicy() throws {
    while true {
      let groups = mergePolicy.merges(
        for: segments.map { ($0.entry.name, Int($0.entry.docCount), Int($0.deletions?.deletedCount ?? 0)) })
      guard let group = groups.first else { return }
      let indices = group.compactMap { name in segments.firstIndex { $0.entry.name == name } }
      try merge(indices)
    }
  }

  /// Merges every segment into one, dropping deleted documents (`dossier merge`).
  package func forceMerge() throws {
    try checkUsable()
    do {
      try _flush()
      if segments.count > 1 || segments.contains(where: { ($0.deletions?.deletedCount ?? 0) > 0 }) {
        try merge(Array(segments.indices))
      }
    } catch {
      failure = error
      throw error
    }
  }

  /// Makes everything added and deleted so far durable and visible to new readers, with
  /// `attachments` (key -> bytes) replacing the previous commit's attachments of those keys.
  package func commit(attachments newAttachments: [String: [UInt8]] = [:]) throws {
    try checkUsable()
    do {
      try _commit(newAttachments)
    } catch {
      failure = error
      throw error
    }
  }

  func _commit(_ newAttachments: [String: [UInt8]]) throws {
    try _flush()
    try runMergePolicy()
    let generation = committed.generation + 1
    for i in segments.indices where segments[i].dirty {
      let name = segments[i].entry.name
      if let dels = segments[i].deletions {
        try dels.write(to: directory, segment: name, segmentID: segments[i].entry.id, generation: generation)
        unsynced.insert(DeletionSet.fileName(segment: name, generation: generation))
        segments[i].entry.deletionGeneration = generation
        segments[i].entry.deletedCount = dels.deletedCount
      }
      segments[i].dirty = false
    }
    var attachments = self.attachments
    for key in newAttachments.keys.sorted() {
      let file = "att_\(key)_\(generation)"
      try Attachment.write(newAttachments[key]!, to: directory, name: file)
      unsynced.insert(file)
      attachments[key] = file
    }
    var manifest = Manifest()
    manifest.generation = generation
    manifest.nextSegment = nextSegment
    manifest.settings = settings
    manifest.segments = segments.map(\.entry)
    manifest.attachments = attachments
    // Only files the new commit references need to be durable; merged-away ones never will.
    let referenced = manifest.referencedFiles
    try directory.sync(unsynced.filter { referenced.contains($0) }.sorted())
    try directory.syncDirectory()
    try manifest.commit(to: directory)
    committed = manifest
    self.attachments = attachments
    unsynced.removeAll()
    try? removeUnreferencedFiles()
  }

  /// Deletes the index's files that the last commit does not name (left by merges, or by a
  /// writer that crashed). Files the index does not own (a README, the lock) are left alone.
  func removeUnreferencedFiles() throws {
    let referenced = committed.referencedFiles.union(unsynced)
    for name in try directory.listAll() where !referenced.contains(name) && Self.isIndexFile(name) {
      try directory.delete(name)
    }
  }

  /// Whether `name` is a file the index writes.
  package static func isIndexFile(_ name: String) -> Bool {
    name.hasPrefix("seg_") || name.hasPrefix("att_") || name == Manifest.tempName
  }
}

/// Hands values that are not `Sendable` to `concurrentPerform` or another thread, which
/// touch only their own part (the caller's promise).
package struct _Unchecked<T>: @unchecked Sendable {
  package let value: T
  package init(_ value: T) { self.value = value }
}

/// Where a buffered document is: its buffer and its doc id there.
struct _BufferedDoc {
  var buffer: Int
  var doc: UInt32
}

/// A document id as a hash key: its bytes hashed in one call (an array of bytes hashes byte
/// by byte, a SipHash round each, which was 2 % of indexing for 60-byte path ids).
struct _IDKey: Hashable {
  let bytes: [UInt8]

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func hash(into hasher: inout Hasher) {
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
  }

  static func == (a: _IDKey, b: _IDKey) -> Bool { a.bytes == b.bytes }
}
