import ArgumentParser
import Dossier

/// `dossier extract`: shows what ingestion makes of files, folders or JSON Lines.
struct Extract: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show what ingestion extracts from files and folders.",
    discussion: """
      Each HTML, text, Markdown or JSON Lines file is read as `dossier index` would read it.
      Folders are walked recursively (hidden and version-control folders skipped). `-` reads
      JSON Lines from standard input. Exit code 0 when every input was read, 5 when any input
      failed or was skipped, 2 for usage errors.
      """
  )

  @Argument(help: "Files and folders to extract, or - for JSON Lines on standard input.")
  var paths: [String] = []

  @Flag(help: "Print one JSON object per document (JSON Lines) instead of readable text.")
  var json = false

  @Option(name: .customLong("include"), help: "Only files matching this glob (repeatable), e.g. '*.html'.")
  var include: [String] = []

  @Option(name: .customLong("exclude"), help: "Leave out files and folders matching this glob (repeatable).")
  var exclude: [String] = []

  @Flag(help: "Keep page furniture (navigation, headers, footers, forms, hidden elements) of HTML pages.")
  var keepBoilerplate = false

  @Option(help: "Skip files larger than this (bytes, or with a K/M/G suffix).")
  var maxFileSize: String = "64M"

  @Option(help: "Files extracted in parallel (default: the number of cores).")
  var threads: Int = 0

  func validate() throws {
    if paths.isEmpty { throw ValidationError("give at least one file or folder (or - for standard input)") }
    if parseByteSize(maxFileSize) == nil {
      throw ValidationError("--max-file-size: not a size: \(maxFileSize)")
    }
    if threads < 0 { throw ValidationError("--threads must be 0 (all cores) or more") }
    if paths.filter({ $0 == "-" }).count > 1 {
      throw ValidationError("standard input (-) can be read only once")
    }
  }

  func run() throws {
    let options = IngestOptions(
      keepBoilerplate: keepBoilerplate, maxFileSize: parseByteSize(maxFileSize)!, threads: threads)
    let ingestion = Ingestion(options: options, walk: WalkOptions(include: include, exclude: exclude))
    var failures = 0
    let report: (IngestResult) -> Void = { result in
      failures += emit(result)
    }
    var pending: [String] = []
    func flushPaths() {
      guard !pending.isEmpty else { return }
      let (files, problems) = ingestion.collect(pending)
      for p in problems {
        Terminal.error("\(p.path): \(p.reason)")
        failures += 1
      }
      ingestion.extract(files, report)
      pending.removeAll()
    }
    for path in paths {
      if path == "-" {
        flushPaths()
        report(ingestion.extractStandardInput())
      } else {
        pending.append(path)
      }
    }
    flushPaths()
    if failures > 0 { throw CLIFailure(status: .ioError, message: "") }
  }

  /// Prints one result; returns the number of problems it had.
  private func emit(_ result: IngestResult) -> Int {
    let name = result.source.path
    if let error = result.error {
      Terminal.error("\(name): \(error)")
      if json {
        var w = JSONWriter()
        w.object { o in
          o.key("id")
          o.string(result.source.id)
          o.key("path")
          o.string(name)
          o.key("error")
          o.string(error.description)
          o.key("reason")
          o.string(error.reason)
        }
        Terminal.out(w.output + "\n")
      }
      return 1
    }
    for problem in result.lineProblems {
      Terminal.error("\(name): \(problem)")
    }
    var text = ""
    for doc in result.documents {
      if json {
        var w = JSONWriter()
        doc.writeJSON(to: &w)
        text += w.output + "\n"
      } else {
        text += readable(doc)
      }
    }
    Terminal.out(text)
    return result.lineProblems.count
  }

  private func readable(_ doc: Document) -> String {
    var s = "== \(doc.id)  [\(doc.type.rawValue)"
    if let e = doc.encoding { s += ", \(e)" }
    s += "]\n"
    s += "Title: \(doc.title)\n"
    for key in doc.metadata.keys.sorted() {
      s += "\(key.prefix(1).uppercased() + key.dropFirst()): \(doc.metadata[key]!)\n"
    }
    for w in doc.warnings { s += "Warning: \(w)\n" }
    if !doc.headings.isEmpty {
      s += "Headings:\n"
      for h in doc.headings {
        s += String(repeating: "  ", count: max(0, h.level - 1)) + "- \(h.text)\n"
      }
    }
    s += "\n"
    for b in doc.blocks { s += b + "\n\n" }
    return s
  }
}
