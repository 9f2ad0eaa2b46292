import DossierIndex

/// Writes documents into an index: add or replace by id, delete by id, commit.
///
/// The one writer of its index while open (it holds the index's lock; a second one fails
/// with `DossierError.busy`, or waits with `wait: true`). Changes become visible to searchers
/// and durable at `commit()`; a crash loses only what was not committed.
///
///     let indexer = try Indexer(path: "Index", create: IndexSettings())
///     try indexer.update(Document(id: "brief-1", type: .text, title: "Cameras", blocks: ["..."]))
///     try indexer.delete(id: "brief-0")
///     try indexer.commit()
///     indexer.close()
///
/// Cost: `update` analyzes the document on the calling thread (see `DocumentMapper`); memory
/// grows with the uncommitted documents up to the RAM budget, then a segment is flushed.
public final class Indexer {
  /// The index folder.
  public let path: String
  /// The settings the index was created with.
  public let settings: IndexSettings
  /// Whether this indexer created the index.
  public let created: Bool
  package let writer: IndexWriter
  let mapper: DocumentMapper
  var segmentDocument = SegmentDocument(schema: .standard)

  /// Opens the index at `path` for writing. With `create`, makes a new index with those
  /// settings when there is none (an existing index keeps its own settings).
  public init(path: String, create: IndexSettings? = nil, wait: Bool = false, ramBudget: Int = 256 << 20)
    throws(DossierError)
  {
    self.path = path
    do {
      let directory =
        create != nil ? try FileDirectory(path: path, create: true) : try openExistingIndexFolder(path)
      let existed = directory.fileExists(Manifest.fileName)
      if !existed && create == nil { throw DossierError.notAnIndex(path: path) }
      writer = try IndexWriter(
        directory: directory, schema: .standard, create: create?.encode(), wait: wait, ramBudget: ramBudget)
      settings = try IndexSettings.decode(writer.settings, file: "\(path)/\(Manifest.fileName)")
      created = !existed
    } catch {
      throw DossierError(error)
    }
    mapper = DocumentMapper(settings: settings)
  }

  /// Adds `doc`, replacing any document with the same id.
  public func update(_ doc: Document) throws(DossierError) {
    mapper.map(doc, into: &segmentDocument)
    do { try writer.update(segmentDocument, id: Array(doc.id.utf8)) } catch { throw DossierError(error) }
  }

  /// Deletes the document with this id (nothing happens if there is none).
  public func delete(id: String) throws(DossierError) {
    do { try writer.delete(id: Array(id.utf8)) } catch { throw DossierError(error) }
  }

  /// Whether a document with this id is in the index (committed or not).
  public func contains(id: String) -> Bool { writer.liveCount(id: Array(id.utf8)) > 0 }

  /// Makes every change so far durable and visible to new searchers.
  public func commit() throws(DossierError) {
    do { try writer.commit() } catch { throw DossierError(error) }
  }

  /// Merges all segments into one (and drops deleted documents), then commits.
  public func forceMerge() throws(DossierError) {
    do {
      try writer.forceMerge()
      try writer.commit()
    } catch {
      throw DossierError(error)
    }
  }

  /// Releases the index; uncommitted changes are dropped.
  public func close() { writer.close() }
}
