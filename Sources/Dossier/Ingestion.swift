import DossierIngest

/// Turns files, folders and JSON Lines into `Document` values: the first step of indexing, and
/// what `dossier extract` shows.
///
/// ```swift
/// let ingestion = Ingestion(options: IngestOptions(), walk: WalkOptions(include: ["*.html"]))
/// let (files, problems) = ingestion.collect(["Samples/reports"])
/// ingestion.extract(files) { result in
///   for doc in result.documents { print(doc.id, doc.title) }
/// }
/// ```
///
/// Cost: files are read whole (up to `IngestOptions.maxFileSize`) and parsed in parallel on
/// `IngestOptions.threads` workers; results arrive in input order, a batch at a time.
public struct Ingestion: Sendable {
  public var options: IngestOptions
  public var walkOptions: WalkOptions
  private let ingestor: Ingestor

  public init(options: IngestOptions = IngestOptions(), walk: WalkOptions = WalkOptions()) {
    self.options = options
    self.walkOptions = walk
    self.ingestor = Ingestor(options: options)
  }

  /// Walks `paths` (files and folders) into a sorted list of source files, plus the entries
  /// that could not be used.
  public func collect(_ paths: [String]) -> (files: [SourceFile], problems: [WalkProblem]) {
    Walker(options: walkOptions).walk(paths)
  }

  /// Extracts every file, calling `body` with each result in the order of `files`.
  public func extract(_ files: [SourceFile], _ body: (IngestResult) -> Void) {
    ingestor.forEach(files, body)
  }

  /// Extracts one file.
  public func extract(_ file: SourceFile) -> IngestResult {
    ingestor.ingest(file)
  }

  /// Extracts documents from bytes already in memory; `name` (a file name or path) and the
  /// content decide the type.
  public func extract(bytes: [UInt8], name: String, id: String, path: String? = nil) throws(IngestError)
    -> [Document]
  {
    try ingestor.ingest(bytes: bytes, name: name, id: id, path: path).1
  }

  /// Reads JSON Lines from standard input (the `-` path of the CLI).
  public func extractStandardInput() -> IngestResult {
    let source = SourceFile(path: "-", id: "-", size: 0, modified: 0)
    var result = IngestResult(source: source, type: .jsonl, documents: [], lineProblems: [], error: nil)
    do throws(IngestError) {
      let bytes = try readAll(fd: 0, limit: options.maxFileSize)
      result.source.size = bytes.count
      let (docs, problems) = JSONLinesReader.read(bytes, path: nil)
      result.documents = docs
      result.lineProblems = problems
    } catch {
      result.error = error
    }
    return result
  }
}
