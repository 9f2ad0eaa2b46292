import Dispatch
import DossierIndex
import DossierIngest
import Foundation
import Synchronization

/// `dossier index`: brings an index up to date with files, folders and JSON Lines, and makes
/// the work resumable.
///
/// The index keeps a source manifest (see `SourceManifest`) in each commit: per file its size,
/// modification time, content hash, the ids of its documents and whether it was indexed or
/// failed. A run skips files whose size and time are unchanged (or whose content hash is), re-
/// indexes changed ones (deleting ids they no longer produce), retries failures only when asked
/// or when the file changed, and with `prune` deletes the documents of files that are gone.
/// Commits happen every `commitInterval` seconds and at the end, each with the manifest of
/// exactly what it holds, so a run that is killed continues from its last commit.
///
/// Files are read, hashed, extracted and analyzed on `threads` workers, in batches; one
/// thread adds the results to the writer in input order.
///
///     let job = IndexJob(indexPath: "Index", options: IndexJob.Options(paths: ["Samples/reports"]))
///     let summary = try job.run { progress in print(progress.filesDone) }
package final class IndexJob {
  package struct Options: Sendable {
    package var paths: [String]
    package var jsonlStandardInput = false
    package var walk = WalkOptions()
    package var ingest = IngestOptions()
    package var prune = false
    package var retryFailed = false
    package var dryRun = false
    package var wait = false
    package var commitInterval: Double = 30
    package var ramBudget = 256 << 20
    /// Settings for a new index (an existing index keeps its own).
    package var create = IndexSettings()

    package init(paths: [String]) { self.paths = paths }
  }

  /// Counts for progress lines.
  package struct Progress: Sendable {
    package var filesDone = 0
    package var filesTotal = 0
    package var bytesDone = 0
    package var bytesTotal = 0
    package var documents = 0
    package var seconds = 0.0
  }

  /// What a run did.
  package struct Summary: Sendable {
    package var added = 0
    package var updated = 0
    package var unchanged = 0
    package var removed = 0
    package var failed = 0
    /// (path, reason) for each failure.
    package var failures: [(path: String, reason: String)] = []
    /// Things skipped on purpose (a folder reached twice through links), with why.
    package var notes: [(path: String, reason: String)] = []
    /// Documents written (added or replaced).
    package var documents = 0
    package var liveDocuments = 0
    package var bytesRead = 0
    package var seconds = 0.0
    package var commits = 0
    package var createdIndex = false
    package var interrupted = false
    package var dryRun = false
  }

  /// Set (from a signal handler, say) to stop after the current batch; the run then commits
  /// what it has done.
  package static let interruptRequested = Atomic<Bool>(false)

  package let indexPath: String
  package let options: Options

  package init(indexPath: String, options: Options) {
    self.indexPath = indexPath
    self.options = options
  }

  /// One file's planned action.
  enum Action { case add, update, retry }

  struct Planned {
    var file: SourceFile
    var key: String
    var action: Action
  }

  /// A file after the workers are done with it.
  struct Outcome {
    var planned: Planned
    var size = 0
    var modified: Int64 = 0
    var hash: UInt64 = 0
    var documents: [(id: String, fields: SegmentDocument)] = []
    var problems: [String] = []
    var error: String?
    var reason: String?
    var sameContent = false
  }

  /// The manifest key of a source file: its absolute path.
  static func key(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    // `a/./b` and `a/x/../b` name the same file: one key.
    return URL(fileURLWithPath: absolute).standardized.path
  }

  package func run(progress: (Progress) -> Void = { _ in }) throws(DossierError) -> Summary {
    let start = DispatchTime.now()
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
    var summary = Summary()
    summary.dryRun = options.dryRun
    Self.interruptRequested.store(false, ordering: .relaxed)

    // The last commit's source manifest.
    var sources = SourceManifest()
    var snapshotDocs = 0
    do {
      let directory = try FileDirectory(path: indexPath, create: false)
      if let snapshot = try IndexSnapshot.open(directory) {
        snapshotDocs = snapshot.liveDocCount
        if let bytes = try snapshot.attachment("sources") {
          do { sources = try SourceManifest.decode(bytes) } catch {
            throw DossierError.corrupt(file: snapshot.manifest.attachments["sources"]!, detail: "\(error)")
          }
        }
      }
    } catch let error as IndexError {
      // No folder yet: a new index.
      if case .io = error {} else { throw DossierError(error) }
    } catch {
      throw DossierError(error)
    }

    // The plan.
    let ingestion = Ingestion(options: options.ingest, walk: options.walk)
    let (files, problems) = ingestion.collect(options.paths)
    for p in problems {
      // A folder reached twice through a symbolic link was indexed once: a note, not a failure.
      if p.reason.contains("already visited") {
        summary.notes.append((p.path, p.reason))
        continue
      }
      summary.failed += 1
      summary.failures.append((p.path, p.reason))
    }
    // Two files with the same id (the same relative path under two folders) would replace each
    // other: those take their path as given as id instead.
    var idCounts: [String: Int] = [:]
    for file in files { idCounts[file.id, default: 0] += 1 }
    var plan: [Planned] = []
    var seen: Set<String> = []
    for var file in files {
      if idCounts[file.id, default: 0] > 1 { file.id = file.path }
      let key = Self.key(file.path)
      seen.insert(key)
      guard let entry = sources.entries[key] else {
        plan.append(Planned(file: file, key: key, action: .add))
        continue
      }
      let sameStat = entry.size == file.size && entry.modified == file.modified
      switch entry.status {
      case .indexed:
        if sameStat {
          summary.unchanged += 1
        } else {
          plan.append(Planned(file: file, key: key, action: .update))
        }
      case .failed:
        if options.retryFailed || !sameStat {
          plan.append(Planned(file: file, key: key, action: .retry))
        } else {
          summary.unchanged += 1
        }
      }
    }
    var gone: [String] = []
    if options.prune {
      for key in sources.entries.keys.sorted()
      where !seen.contains(key) && !FileManager.default.fileExists(atPath: key) {
        gone.append(key)
      }
    }
    var status = Progress()
    status.filesTotal = plan.count
    status.bytesTotal = plan.reduce(0) { $0 + $1.file.size }

    if options.dryRun {
      for p in plan {
        switch p.action {
        case .add: summary.added += 1
        case .update, .retry: summary.updated += 1
        }
      }
      summary.removed = gone.reduce(0) { $0 + (sources.entries[$1]?.ids.count ?? 0) }
      summary.liveDocuments = snapshotDocs
      summary.seconds = elapsed()
      return summary
    }

    // The writer.
    let indexer: Indexer
    do {
      indexer = try Indexer(
        path: indexPath, create: options.create, wait: options.wait, ramBudget: options.ramBudget)
    }
    defer { indexer.close() }
    summary.createdIndex = indexer.created
    let writer = indexer.writer
    var lastCommit = elapsed()
    // Calls to the writer, to tell whether a commit has anything to publish.
    var writes = 0

    var committedSources = sources
    var committedWrites = 0
    func commit() throws(DossierError) {
      // Nothing added, deleted or re-stated since the last commit: nothing to publish.
      // (A new index is committed once even when empty, so that it exists.)
      let fresh = indexer.created && summary.commits == 0
      if writes == committedWrites && sources == committedSources && !fresh {
        lastCommit = elapsed()
        return
      }
      committedWrites = writes
      committedSources = sources
      do {
        try writer.commit(attachments: ["sources": sources.encode()])
      } catch {
        throw DossierError(error)
      }
      summary.commits += 1
      lastCommit = elapsed()
    }

    // Removed files.
    for key in gone {
      for id in sources.entries[key]?.ids ?? [] {
        do { try writer.delete(id: Array(id.utf8)) } catch { throw DossierError(error) }
        writes += 1
        summary.removed += 1
      }
      sources.entries[key] = nil
    }

    // Standard input.
    if options.jsonlStandardInput {
      let result = ingestion.extractStandardInput()
      if let error = result.error {
        summary.failed += 1
        summary.failures.append(("-", error.description))
      }
      for p in result.lineProblems {
        summary.failed += 1
        summary.failures.append(("-", p.description))
      }
      for doc in result.documents {
        if indexer.contains(id: doc.id) { summary.updated += 1 } else { summary.added += 1 }
        try indexer.update(doc)
        writes += 1
        summary.documents += 1
      }
    }

    // Files, in batches.
    let workers = max(
      1, options.ingest.threads > 0 ? options.ingest.threads : ProcessInfo.processInfo.activeProcessorCount)
    let mappers = (0..<workers).map { _ in DocumentMapper(settings: indexer.settings) }
    let ingestor = Ingestor(options: options.ingest)
    // With more than one worker, the next batch is read and analyzed while this thread adds
    // the current one to the writer.
    let overlap = workers > 1
    var next = 0
    func launch() -> _PendingBatch? {
      guard next < plan.count else { return nil }
      let batch = Array(plan[next..<min(plan.count, next + 64)])
      next += batch.count
      let pending = _PendingBatch()
      let work = _Unchecked((batch, sources, ingestor, mappers))
      if overlap {
        DispatchQueue.global().async {
          pending.outcomes = Self.process(
            work.value.0, sources: work.value.1, ingestor: work.value.2, mappers: work.value.3)
          pending.done.signal()
        }
      } else {
        pending.outcomes = Self.process(batch, sources: sources, ingestor: ingestor, mappers: mappers)
        pending.done.signal()
      }
      return pending
    }
    var pending = launch()
    while let current = pending {
      current.done.wait()
      let outcomes = current.outcomes
      if Self.interruptRequested.load(ordering: .relaxed) {
        summary.interrupted = true
        pending = nil
      } else {
        pending = overlap ? launch() : nil
      }
      // The batch's changes, in order, go to the writer at once: with several workers it builds
      // them into a segment per worker, on as many threads.
      var changes: [IndexWriter.Change] = []
      for outcome in outcomes {
        let key = outcome.planned.key
        let old = sources.entries[key]
        summary.bytesRead += outcome.size
        status.filesDone += 1
        status.bytesDone += outcome.planned.file.size
        if let error = outcome.error {
          summary.failed += 1
          summary.failures.append((outcome.planned.file.path, error))
          // The documents of an earlier version stay; the failure is recorded.
          sources.entries[key] = .init(
            size: outcome.planned.file.size, modified: outcome.planned.file.modified, hash: outcome.hash,
            status: .failed, reason: outcome.reason ?? error, ids: old?.ids ?? [])
          continue
        }
        for problem in outcome.problems {
          summary.failures.append((outcome.planned.file.path, problem))
        }
        if outcome.sameContent, let old, old.status == .indexed {
          summary.unchanged += 1
          sources.entries[key]?.size = outcome.size
          sources.entries[key]?.modified = outcome.modified
          continue
        }
        var ids: [String] = []
        for (id, fields) in outcome.documents {
          changes.append(.update(fields, id: Array(id.utf8)))
          writes += 1
          ids.append(id)
        }
        let newIDs = Set(ids)
        for id in old?.ids ?? [] where !newIDs.contains(id) {
          changes.append(.delete(id: Array(id.utf8)))
          writes += 1
        }
        summary.documents += ids.count
        status.documents += ids.count
        if old == nil { summary.added += 1 } else { summary.updated += 1 }
        sources.entries[key] = .init(
          size: outcome.size, modified: outcome.modified, hash: outcome.hash, status: .indexed, ids: ids)
      }
      // A lane per 32 documents, at most one per worker: a run that adds a few files (a script
      // feeding documents as they come) makes one segment, not one per core.
      let updates = changes.reduce(0) { if case .update = $1 { $0 + 1 } else { $0 } }
      let lanes = min(workers, max(1, updates / 32))
      do { try writer.apply(changes, lanes: lanes) } catch { throw DossierError(error) }
      status.seconds = elapsed()
      progress(status)
      if elapsed() - lastCommit >= options.commitInterval { try commit() }
      if !overlap && !summary.interrupted { pending = launch() }
    }
    try commit()
    summary.liveDocuments = (try? IndexSnapshot.open(FileDirectory(path: indexPath)))??.liveDocCount ?? 0
    summary.seconds = elapsed()
    return summary
  }

  /// Reads, hashes, extracts and analyzes a batch on the workers; results in input order.
  static func process(
    _ batch: [Planned], sources: SourceManifest, ingestor: Ingestor, mappers: [DocumentMapper]
  ) -> [Outcome] {
    let slots = Mutex([Outcome?](repeating: nil, count: batch.count))
    let next = Atomic<Int>(0)
    let mapperBox = _Unchecked(mappers)
    DispatchQueue.concurrentPerform(iterations: min(mappers.count, batch.count)) { worker in
      let mapper = mapperBox.value[worker]
      while true {
        let i = next.add(1, ordering: .relaxed).oldValue
        if i >= batch.count { break }
        let outcome = processOne(
          batch[i], old: sources.entries[batch[i].key], ingestor: ingestor, mapper: mapper)
        slots.withLock { $0[i] = outcome }
      }
    }
    return slots.withLock { $0.map { $0! } }
  }

  static func processOne(
    _ planned: Planned, old: SourceManifest.Entry?, ingestor: Ingestor, mapper: DocumentMapper
  )
    -> Outcome
  {
    var outcome = Outcome(planned: planned)
    let file = planned.file
    let bytes: [UInt8]
    do throws(IngestError) {
      bytes = try readFile(file.path, limit: ingestor.options.maxFileSize)
    } catch {
      outcome.error = error.description
      outcome.reason = error.reason
      return outcome
    }
    outcome.size = bytes.count
    outcome.modified = file.modified
    outcome.hash = contentHash(bytes)
    if let old, old.status == .indexed, old.hash == outcome.hash {
      outcome.sameContent = true
      return outcome
    }
    do throws(IngestError) {
      let (_, documents, problems) = try ingestor.ingest(
        bytes: bytes, name: file.path, id: file.id, path: file.path)
      outcome.problems = problems.map(\.description)
      var fields = SegmentDocument(schema: .standard)
      for doc in documents {
        mapper.map(doc, into: &fields)
        outcome.documents.append((doc.id, fields))
      }
    } catch {
      outcome.error = error.description
      outcome.reason = error.reason
    }
    return outcome
  }
}

/// One batch being read and analyzed in the background.
final class _PendingBatch: @unchecked Sendable {
  var outcomes: [IndexJob.Outcome] = []
  let done = DispatchSemaphore(value: 0)
}
