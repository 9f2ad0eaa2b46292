import Dispatch

/// Options that shape ingestion.
public struct IngestOptions: Sendable, Hashable {
  /// Keep page furniture (nav, header, footer, aside, forms, hidden elements) of HTML pages.
  public var keepBoilerplate: Bool
  /// Files larger than this many bytes are skipped and reported. Default 64 MiB.
  public var maxFileSize: Int
  /// How many files are read and parsed at once. Default: the number of cores.
  public var threads: Int

  public static let defaultMaxFileSize = 64 << 20

  public init(
    keepBoilerplate: Bool = false, maxFileSize: Int = IngestOptions.defaultMaxFileSize, threads: Int = 0
  ) {
    self.keepBoilerplate = keepBoilerplate
    self.maxFileSize = maxFileSize
    self.threads = threads > 0 ? threads : max(1, ProcessInfoLite.activeProcessorCount)
  }
}

/// What ingestion made of one source file.
public struct IngestResult: Sendable {
  public var source: SourceFile
  /// The type the sniffer decided, nil when the file could not be read or was binary.
  public var type: DocumentType?
  /// The documents (one for HTML and text, any number for JSON Lines).
  public var documents: [Document]
  /// JSON Lines records that were skipped.
  public var lineProblems: [LineProblem]
  /// Set when the file yielded nothing.
  public var error: IngestError?

  public init(
    source: SourceFile, type: DocumentType? = nil, documents: [Document] = [],
    lineProblems: [LineProblem] = [], error: IngestError? = nil
  ) {
    self.source = source
    self.type = type
    self.documents = documents
    self.lineProblems = lineProblems
    self.error = error
  }

  /// True when the file, and every line of it, was used.
  public var isComplete: Bool { error == nil && lineProblems.isEmpty }
}

/// Turns source files into documents, in parallel, keeping the input order.
///
/// ```swift
/// let ingestor = Ingestor(options: IngestOptions())
/// ingestor.forEach(files) { result in print(result.documents.first?.title ?? "-") }
/// ```
///
/// Cost: each file is read whole (up to `maxFileSize`) and parsed on one of `threads`
/// workers; results are handed back in input order, a batch at a time, so memory stays
/// bounded by the batch.
package struct Ingestor: Sendable {
  package var options: IngestOptions

  package init(options: IngestOptions = IngestOptions()) {
    self.options = options
    HTMLExtractor.initialize()
  }

  /// Ingests one file. Never throws: failures are in the result.
  package func ingest(_ source: SourceFile) -> IngestResult {
    var result = IngestResult(source: source, type: nil, documents: [], lineProblems: [], error: nil)
    do throws(IngestError) {
      let bytes = try readFile(source.path, limit: options.maxFileSize)
      let (type, documents, problems) = try ingest(
        bytes: bytes, name: source.path, id: source.id, path: source.path)
      result.type = type
      result.documents = documents
      result.lineProblems = problems
    } catch {
      result.error = error
    }
    return result
  }

  /// Ingests bytes already in memory; `name` decides the type together with the content.
  package func ingest(
    bytes: [UInt8], name: String, id: String, path: String?
  ) throws(IngestError) -> (DocumentType, [Document], [LineProblem]) {
    let type = try FileTypeSniffer.detect(name: name, prefix: bytes[...])
    switch type {
    case .html:
      return (
        type,
        [try HTMLExtractor.extract(bytes, id: id, path: path, keepBoilerplate: options.keepBoilerplate)], []
      )
    case .text, .markdown:
      let decoded = TextDecoder.decode(bytes)
      return (type, [TextExtractor.extract(decoded, id: id, path: path, markdown: type == .markdown)], [])
    case .jsonl:
      let (docs, problems) = JSONLinesReader.read(bytes, path: path)
      return (type, docs, problems)
    }
  }

  /// Ingests `files` on all workers and calls `body` with each result in input order.
  package func forEach(_ files: [SourceFile], batchSize: Int = 256, _ body: (IngestResult) -> Void) {
    var start = 0
    while start < files.count {
      let batch = Array(files[start..<min(files.count, start + batchSize)])
      for result in ingestBatch(batch) { body(result) }
      start += batch.count
    }
  }

  /// Ingests all files and returns the results in input order.
  package func ingestAll(_ files: [SourceFile]) -> [IngestResult] {
    var results: [IngestResult] = []
    results.reserveCapacity(files.count)
    forEach(files) { results.append($0) }
    return results
  }

  private func ingestBatch(_ batch: [SourceFile]) -> [IngestResult] {
    if options.threads <= 1 || batch.count <= 1 { return batch.map(ingest) }
    let slots = ResultSlots(count: batch.count)
    let workers = min(options.threads, batch.count)
    let next = AtomicCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let i = next.increment()
        if i >= batch.count { break }
        slots.set(i, ingest(batch[i]))
      }
    }
    return slots.values()
  }
}

/// Fixed slots written by index from many threads; each slot is written once.
private final class ResultSlots: @unchecked Sendable {
  private var storage: [IngestResult?]
  private let lock = Lock()
  init(count: Int) { storage = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: IngestResult) { lock.withLock { storage[i] = value } }
  func values() -> [IngestResult] { lock.withLock { storage.map { $0! } } }
}

private final class AtomicCounter: @unchecked Sendable {
  private var value = 0
  private let lock = Lock()
  func increment() -> Int {
    lock.withLock {
      defer { value += 1 }
      return value
    }
  }
}
