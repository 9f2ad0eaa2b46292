import ArgumentParser
import Dossier
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The `--index` option every index verb takes.
struct IndexOption: ParsableArguments {
  @Option(name: .customLong("index"), help: "The index folder (default: $DOSSIER_INDEX, else Index).")
  var path: String = ProcessInfo.processInfo.environment["DOSSIER_INDEX"] ?? "Index"
}

extension CLIFailure {
  /// The exit status and message for a library error.
  init(_ error: DossierError) {
    switch error {
    case .busy: self.init(status: .busy, message: error.description + " (use --wait to wait for it)")
    case .corrupt, .unsupportedVersion: self.init(status: .corrupt, message: error.description)
    case .querySyntax, .invalidArgument: self.init(status: .usage, message: error.description)
    case .notAnIndex(let path):
      self.init(
        status: .ioError,
        message: "no index at \(path) (create one with: dossier index --index \(path) PATH...)")
    case .io: self.init(status: .ioError, message: error.description)
    }
  }
}

/// Runs `body`, turning library errors into CLI failures.
func library<T>(_ body: () throws -> T) throws -> T {
  do { return try body() } catch let error as DossierError { throw CLIFailure(error) }
}

func formatBytes(_ n: Int) -> String {
  if n >= 1 << 30 { return String(format: "%.1f GB", Double(n) / 1e9) }
  if n >= 1 << 20 { return String(format: "%.1f MB", Double(n) / 1e6) }
  if n >= 1 << 10 { return String(format: "%.1f KB", Double(n) / 1e3) }
  return "\(n) B"
}

/// Sets `IndexJob.interruptRequested` on Ctrl-C (the run then commits and stops).
func installInterruptHandler() {
  signal(SIGINT) { _ in
    IndexJob.interruptRequested.store(true, ordering: .relaxed)
  }
}

struct IndexCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "index",
    abstract: "Add files, folders and JSON Lines to an index, incrementally.",
    discussion: """
      The first run creates the index (default Index/) with the analyzer and BM25 settings
      given; later runs keep them. Unchanged files are skipped (size and modification time,
      then content hash), changed ones re-indexed, failures recorded and retried with
      --retry-failed; --prune deletes the documents of files that are gone. The index is
      committed every --commit-interval seconds and at the end: after Ctrl-C (which commits
      what is done), a kill or a power loss, the next run continues from the last commit.
      Exit codes: 0 done, 2 usage, 3 index busy, 4 index corrupt, 5 some inputs failed (the
      rest is indexed), 130 interrupted (work so far committed).
      """
  )

  @OptionGroup var index: IndexOption

  @Argument(help: "Files and folders to index.")
  var paths: [String] = []

  @Option(help: "A JSON Lines file to index, or - for standard input.")
  var jsonl: String?

  @Option(help: "Analyzer profile of a new index: standard or lucene-english.")
  var profile: String = "standard"

  @Option(
    help: "Default language of a new index (en, es, ...): documents that name none and cannot be detected.")
  var language: String?

  @Option(help: "BM25 k1 of a new index.")
  var k1: Double = 1.2

  @Option(help: "BM25 b of a new index.")
  var b: Double = 0.75

  @Flag(help: "A new index keeps title and body as one field (as the reference runs in ../shared/eval).")
  var singleField = false

  @Flag(help: "Delete the documents of files that no longer exist.")
  var prune = false

  @Flag(help: "Retry files that failed before even if they did not change.")
  var retryFailed = false

  @Flag(help: "Print what would be done without writing.")
  var dryRun = false

  @Flag(help: "Wait for another writer to finish instead of failing with exit code 3.")
  var wait = false

  @Flag(help: "Print the summary as one JSON object.")
  var json = false

  @Option(name: .customLong("include"), help: "Only files matching this glob (repeatable).")
  var include: [String] = []

  @Option(name: .customLong("exclude"), help: "Leave out files and folders matching this glob (repeatable).")
  var exclude: [String] = []

  @Option(help: "Skip files larger than this (bytes, or with a K/M/G suffix).")
  var maxFileSize: String = "64M"

  @Option(help: "Worker threads for reading and analysis (default: the number of cores).")
  var threads: Int = 0

  @Option(help: "Memory for buffered documents before a segment is written (K/M/G suffix).")
  var ramBudget: String = "256M"

  @Option(help: "Seconds between commits during a long run.")
  var commitInterval: Double = 30

  func validate() throws {
    if paths.isEmpty && jsonl == nil {
      throw ValidationError("give files or folders to index, or --jsonl FILE|-")
    }
    guard Analyzer.Profile(rawValue: profile) != nil else {
      throw ValidationError(AnalyzerError.unknownProfile(profile).description)
    }
    if let language, Language(language) == nil {
      throw ValidationError("--language: not a language code: \(language)")
    }
    guard k1 >= 0, k1.isFinite, (0...1).contains(b) else {
      throw ValidationError("--k1 must be >= 0 and --b in 0...1")
    }
    guard parseByteSize(maxFileSize) != nil else { throw ValidationError("--max-file-size: not a size") }
    guard let budget = parseByteSize(ramBudget), budget >= 1 << 20 else {
      throw ValidationError("--ram-budget: a size of at least 1M")
    }
    if threads < 0 { throw ValidationError("--threads must be 0 (all cores) or more") }
    guard commitInterval > 0 else { throw ValidationError("--commit-interval must be positive") }
  }

  func run() throws {
    var analyzer = Analyzer(profile: Analyzer.Profile(rawValue: profile)!)
    if let language { analyzer.defaultLanguage = Language(language)! }
    var options = IndexJob.Options(paths: paths)
    if let jsonl {
      if jsonl == "-" { options.jsonlStandardInput = true } else { options.paths.append(jsonl) }
    }
    options.create = IndexSettings(analyzer: analyzer, k1: k1, b: b, singleField: singleField)
    options.walk = WalkOptions(include: include, exclude: exclude)
    options.ingest = IngestOptions(maxFileSize: parseByteSize(maxFileSize)!, threads: threads)
    options.prune = prune
    options.retryFailed = retryFailed
    options.dryRun = dryRun
    options.wait = wait
    options.commitInterval = commitInterval
    options.ramBudget = parseByteSize(ramBudget)!
    installInterruptHandler()
    let showProgress = Terminal.stderrIsTerminal && !json
    let job = IndexJob(indexPath: index.path, options: options)
    let summary = try library {
      try job.run { p in
        guard showProgress, p.filesTotal > 0 else { return }
        let rate = p.seconds > 0 ? Double(p.documents) / p.seconds : 0
        let remaining =
          p.bytesDone > 0 ? p.seconds * Double(p.bytesTotal - p.bytesDone) / Double(p.bytesDone) : 0
        let line = String(
          format: "\r%d/%d files, %@, %.0f docs/s, ETA %d:%02d   ", p.filesDone, p.filesTotal,
          formatBytes(p.bytesDone), rate, Int(remaining) / 60, Int(remaining) % 60)
        Terminal.writeAll(2, Array(line.utf8))
      }
    }
    if showProgress { Terminal.writeAll(2, Array("\r\u{1B}[K".utf8)) }
    if json {
      var w = JSONWriter()
      w.object { o in
        o.key("index")
        o.string(index.path)
        o.key("created")
        o.bool(summary.createdIndex)
        o.key("dry_run")
        o.bool(summary.dryRun)
        for (key, value) in [
          ("added", summary.added), ("updated", summary.updated), ("unchanged", summary.unchanged),
          ("removed", summary.removed), ("failed", summary.failed), ("documents_written", summary.documents),
          ("documents", summary.liveDocuments), ("commits", summary.commits),
        ] {
          o.key(key)
          o.number(value)
        }
        o.key("seconds")
        o.number(summary.seconds)
        o.key("interrupted")
        o.bool(summary.interrupted)
        o.key("notes")
        o.array { a in
          for f in summary.notes {
            a.object { o in
              o.key("path")
              o.string(f.path)
              o.key("reason")
              o.string(f.reason)
            }
          }
        }
        o.key("failures")
        o.array { a in
          for f in summary.failures {
            a.object { o in
              o.key("path")
              o.string(f.path)
              o.key("reason")
              o.string(f.reason)
            }
          }
        }
      }
      Terminal.out(w.output + "\n")
    } else {
      var s =
        summary.dryRun ? "dry run: would index " : (summary.createdIndex ? "created \(index.path): " : "")
      s += "\(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged, "
      s += "\(summary.removed) removed, \(summary.failed) failed"
      if !summary.dryRun {
        s += String(format: "; %d documents in the index (%.1f s)", summary.liveDocuments, summary.seconds)
      }
      Terminal.error(s)
      for f in summary.failures { Terminal.error("\(f.path): \(f.reason)") }
      if !summary.notes.isEmpty {
        Terminal.error(
          "note: \(summary.notes.count) folders reached again through symbolic links were skipped")
      }
    }
    if summary.interrupted {
      throw CLIFailure(status: .interrupted, message: "interrupted: the work done so far is committed")
    }
    if summary.failed > 0 { throw CLIFailure(status: .ioError, message: "") }
  }
}

struct RemoveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Delete documents by id, or all documents of a source file by its path.",
    discussion: "Exit code 1 when nothing matched."
  )

  @OptionGroup var index: IndexOption

  @Argument(help: "Document ids, or paths of indexed files.")
  var targets: [String] = []

  @Flag(help: "Wait for another writer to finish instead of failing with exit code 3.")
  var wait = false

  func validate() throws {
    if targets.isEmpty { throw ValidationError("give ids or paths to remove") }
  }

  func run() throws {
    let removed = try library { try IndexMaintenance.remove(targets, index: index.path, wait: wait) }
    Terminal.error("removed \(removed) document\(removed == 1 ? "" : "s")")
    if removed == 0 { throw CLIFailure(status: .noResults, message: "nothing matched") }
  }
}

struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Show what an index holds and the settings it was made with.")

  @OptionGroup var index: IndexOption

  @Flag(help: "Print one JSON object.")
  var json = false

  func run() throws {
    let stats = try library { try IndexStatistics.read(path: index.path) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]  // the same text on every run
    let analyzerJSON = String(decoding: try encoder.encode(stats.settings.analyzer), as: UTF8.self)
    if json {
      var w = JSONWriter()
      w.object { o in
        o.key("index")
        o.string(stats.path)
        o.key("generation")
        o.number(Int(stats.generation))
        o.key("documents")
        o.number(stats.documents)
        o.key("deleted")
        o.number(stats.deleted)
        o.key("source_files")
        o.number(stats.sourceFiles)
        o.key("failed_source_files")
        o.number(stats.failedSourceFiles)
        o.key("segments")
        o.array { a in
          for s in stats.segments {
            a.object { o in
              o.key("name")
              o.string(s.name)
              o.key("documents")
              o.number(s.documents)
              o.key("deleted")
              o.number(s.deleted)
            }
          }
        }
        o.key("fields")
        o.array { a in
          for f in stats.fields {
            a.object { o in
              o.key("name")
              o.string(f.name)
              o.key("documents")
              o.number(f.documents)
              o.key("tokens")
              o.number(Int(f.tokens))
              o.key("terms")
              o.number(Int(f.terms))
            }
          }
        }
        o.key("bytes")
        o.object { o in
          for key in stats.bytes.keys.sorted() {
            o.key(key)
            o.number(stats.bytes[key]!)
          }
        }
        o.key("profile")
        o.string(stats.settings.analyzer.profile.rawValue)
        o.key("k1")
        o.number(stats.settings.k1)
        o.key("b")
        o.number(stats.settings.b)
        o.key("single_field")
        o.bool(stats.settings.singleField)
        o.key("analyzer")
        o.string(analyzerJSON)
      }
      Terminal.out(w.output + "\n")
      return
    }
    var s = "index \(stats.path) (commit \(stats.generation))\n"
    s += "documents   \(stats.documents) (\(stats.deleted) deleted, awaiting merge)\n"
    s += "sources     \(stats.sourceFiles) files (\(stats.failedSourceFiles) failed)\n"
    s += "segments    \(stats.segments.count): "
    s += stats.segments.map { "\($0.name) \($0.documents)" }.joined(separator: ", ") + "\n"
    s += "settings    profile \(stats.settings.analyzer.profile.rawValue), language "
    s += "\(stats.settings.analyzer.defaultLanguage.code), k1 \(stats.settings.k1), b \(stats.settings.b)"
    s += stats.settings.singleField ? ", title and body as one field\n" : "\n"
    s += "analyzer    \(analyzerJSON)\n"
    s += "fields      documents      tokens       terms\n"
    for f in stats.fields where f.documents > 0 {
      s += f.name.padding(toLength: 10, withPad: " ", startingAt: 0)
      s += String(format: "%11d %11llu %11llu\n", f.documents, f.tokens, f.terms)
    }
    let total = stats.bytes.values.reduce(0, +)
    s += "bytes       \(formatBytes(total)): "
    s +=
      stats.bytes.keys.sorted().map { "\($0) \(formatBytes(stats.bytes[$0]!))" }.joined(separator: ", ")
      + "\n"
    Terminal.out(s)
  }
}

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge", abstract: "Merge all segments into one, dropping deleted documents.")

  @OptionGroup var index: IndexOption

  @Flag(help: "Wait for another writer to finish instead of failing with exit code 3.")
  var wait = false

  func run() throws {
    let segments = try library { try IndexMaintenance.forceMerge(index: index.path, wait: wait) }
    Terminal.error("merged into \(segments) segment\(segments == 1 ? "" : "s")")
  }
}

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Verify every checksum and structural invariant of an index.",
    discussion: "Exit code 0 when sound, 4 with the damaged file named when not."
  )

  @OptionGroup var index: IndexOption

  @Flag(help: "Print one JSON object.")
  var json = false

  func run() throws {
    let report = try library { try CheckReport.run(path: index.path) }
    if json {
      var w = JSONWriter()
      w.object { o in
        o.key("ok")
        o.bool(true)
        o.key("files")
        o.number(report.filesChecked)
        o.key("bytes")
        o.number(report.bytesChecked)
        o.key("segments")
        o.number(report.segments)
        o.key("documents")
        o.number(report.documents)
        o.key("unreferenced")
        o.stringArray(report.unreferenced)
      }
      Terminal.out(w.output + "\n")
    } else {
      Terminal.out(
        "ok: \(report.filesChecked) files (\(formatBytes(report.bytesChecked))), \(report.segments) segments, "
          + "\(report.documents) documents\n")
      if !report.unreferenced.isEmpty {
        Terminal.error(
          "note: \(report.unreferenced.count) files left by an interrupted writer "
            + "(the next writer removes them): \(report.unreferenced.joined(separator: ", "))")
      }
    }
  }
}
