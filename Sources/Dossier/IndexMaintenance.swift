import DossierIndex

/// The small writer tasks of the CLI: `dossier remove` and `dossier merge`.
package enum IndexMaintenance {
  /// Deletes documents by id, or all documents of an indexed source file by its path; commits.
  /// Returns how many documents were deleted.
  package static func remove(_ targets: [String], index: String, wait: Bool) throws(DossierError) -> Int {
    let indexer = try Indexer(path: index, wait: wait)
    defer { indexer.close() }
    let writer = indexer.writer
    var sources = SourceManifest()
    do {
      if let snapshot = try IndexSnapshot.open(writer.directory),
        let data = try snapshot.attachment("sources")
      {
        sources = try SourceManifest.decode(data)
      }
    } catch {
      throw DossierError(error)
    }
    var removed = 0
    var sourcesChanged = false
    for target in targets {
      if indexer.contains(id: target) {
        try indexer.delete(id: target)
        removed += 1
        continue
      }
      let key = IndexJob.key(target)
      if let entry = sources.entries[key] {
        for id in entry.ids where indexer.contains(id: id) {
          try indexer.delete(id: id)
          removed += 1
        }
        sources.entries[key] = nil
        sourcesChanged = true
      }
    }
    do {
      try writer.commit(attachments: sourcesChanged ? ["sources": sources.encode()] : [:])
    } catch {
      throw DossierError(error)
    }
    return removed
  }

  /// Merges the index into one segment; returns the segment count after.
  package static func forceMerge(index: String, wait: Bool) throws(DossierError) -> Int {
    let indexer = try Indexer(path: index, wait: wait)
    defer { indexer.close() }
    try indexer.forceMerge()
    return indexer.writer.segmentCount
  }
}
