import ArgumentParser
import Dossier
import Foundation

struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search an index (BM25F over title, headings and body, with snippets).",
    discussion: """
      The query language: words (a ranked OR; --and makes them all required), "exact phrases",
      "phrases with slop"~3, AND, OR, NOT, +word, -word, parentheses, field:term for title,
      heading, body, author, lang, type, path and id, prefix*, date:2019..2021 and
      date:>=2020-06 (docs/query-language.md). Lenient by default: any text gives results or
      none, never an error; --strict reports a syntax error with its position (exit code 2).
      With the default index and none built yet, Index/ is first built from Samples/reports.
      Exit codes: 0 results, 1 no results, 2 usage or syntax error, 4 corrupt index, 5 no index.
      """
  )

  @OptionGroup var index: IndexOption

  @Argument(help: "The query (words are joined by spaces).")
  var query: [String] = []

  @Option(help: "Hits to return (up to 10000).")
  var limit: Int = 10

  @Option(help: "Hits to skip first.")
  var offset: Int = 0

  @Flag(help: "Print one JSON object: query, total, took_ms, hits.")
  var json = false

  @Flag(help: "Print one JSON object per hit.")
  var jsonl = false

  @Option(
    help:
      "In JSON, only these hit fields (comma-separated: id,score,title,path,metadata,snippets,explanation).")
  var fields: String?

  @Flag(help: "Show each term's and field's contribution to each score.")
  var explain = false

  @Flag(help: "All words must match (AND instead of OR).")
  var and = false

  @Flag(help: "Report query syntax errors instead of reading the query leniently.")
  var strict = false

  @Flag(help: "Take the query as plain words, without any syntax.")
  var plain = false

  @Option(help: "BM25 k1 for this query (default: the index's).")
  var k1: Double?

  @Option(help: "BM25 b for this query (default: the index's).")
  var b: Double?

  @Option(help: "Passages per hit.")
  var snippets: Int = 2

  @Option(help: "Answer every query of a file (TSV id<TAB>query, or JSON Lines with _id and text).")
  var queries: String?

  @Option(help: "Batch output: jsonl (default) or trec (qid Q0 docid rank score tag).")
  var format: String = "jsonl"

  @Option(help: "The run tag of TREC output.")
  var runTag: String = "dossier"

  func validate() throws {
    if queries == nil && query.isEmpty { throw ValidationError("give a query, or --queries FILE") }
    if limit < 0 || limit > 10_000 { throw ValidationError("--limit must be in 0...10000") }
    if offset < 0 { throw ValidationError("--offset must be >= 0") }
    if format != "jsonl" && format != "trec" { throw ValidationError("--format is jsonl or trec") }
    if let k1, !(k1 >= 0 && k1.isFinite) { throw ValidationError("--k1 must be >= 0") }
    if let b, !(0...1).contains(b) { throw ValidationError("--b must be in 0...1") }
  }

  func run() throws {
    try ensureDefaultIndex(index)
    let searcher = try library { try Searcher(path: index.path) }
    var options = SearchOptions()
    options.defaultOperator = and ? .and : .or
    options.strict = strict
    options.plainWords = plain
    options.k1 = k1
    options.b = b
    options.explain = explain
    options.snippets = max(0, snippets)
    if let queries {
      try runBatch(searcher, file: queries, options: options)
      return
    }
    let text = query.joined(separator: " ")
    let results = try library { try searcher.search(text, limit: limit, offset: offset, options: options) }
    let wanted = fields.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
    if json {
      var w = JSONWriter()
      w.object { o in
        o.key("query")
        o.string(text)
        o.key("total")
        o.number(results.total)
        o.key("took_ms")
        o.number((results.milliseconds * 1000).rounded() / 1000)
        o.key("hits")
        o.array { a in for hit in results.hits { a.object { writeHit(hit, &$0, wanted) } } }
      }
      Terminal.out(w.output + "\n")
    } else if jsonl {
      var out = ""
      for hit in results.hits {
        var w = JSONWriter()
        w.object { writeHit(hit, &$0, wanted) }
        out += w.output + "\n"
      }
      Terminal.out(out)
    } else {
      Terminal.out(readable(results, text))
    }
    if results.total == 0 { throw CLIFailure(status: .noResults, message: "") }
  }

  func writeHit(_ hit: SearchHit, _ o: inout JSONWriter, _ wanted: Set<String>?) {
    func want(_ k: String) -> Bool { wanted?.contains(k) ?? (k != "explanation" || explain) }
    if want("id") {
      o.key("id")
      o.string(hit.id)
    }
    if want("score") {
      o.key("score")
      o.number(hit.score)
    }
    if want("title") {
      o.key("title")
      o.string(hit.title)
    }
    if want("path") {
      o.key("path")
      o.optionalString(hit.path)
    }
    if want("metadata") {
      o.key("metadata")
      o.stringMap(hit.metadata)
    }
    if want("snippets") {
      o.key("snippets")
      o.array { a in
        for s in hit.snippets {
          a.object { o in
            o.key("text")
            o.string(s.text)
            o.key("start")
            o.number(s.start)
            o.key("char_start")
            o.number(s.characterStart)
            o.key("highlights")
            o.array { a in
              for h in s.highlights {
                a.object { o in
                  o.key("start")
                  o.number(h.start)
                  o.key("end")
                  o.number(h.end)
                  o.key("char_start")
                  o.number(h.characterStart)
                  o.key("char_end")
                  o.number(h.characterEnd)
                }
              }
            }
          }
        }
      }
    }
    if want("explanation") {
      o.key("explanation")
      o.array { a in
        for c in hit.explanation {
          a.object { o in
            o.key("clause")
            o.string(c.clause)
            o.key("field")
            o.string(c.field)
            o.key("frequency")
            o.number(c.frequency)
            o.key("field_length")
            o.number(c.fieldLength)
            o.key("score")
            o.number(c.score)
          }
        }
      }
    }
  }

  func readable(_ results: SearchResults, _ text: String) -> String {
    let color = Terminal.stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let shown = text.count > 120 ? String(text.prefix(120)) + "…" : text
    var s = "\(results.total) result\(results.total == 1 ? "" : "s") for \(shown) "
    s += String(format: "(%.1f ms)\n", results.milliseconds)
    for (i, hit) in results.hits.enumerated() {
      s += "\n\(offset + i + 1). \(hit.title.isEmpty ? hit.id : hit.title)\n"
      s += "   \(hit.id)" + String(format: "  score %.4f", hit.score)
      if let date = hit.metadata["date"] { s += "  \(date)" }
      if let lang = hit.metadata["lang"] { s += "  [\(lang)]" }
      s += "\n"
      for snippet in hit.snippets { s += "   " + render(snippet, color: color) + "\n" }
      if explain {
        for c in hit.explanation {
          s += String(
            format: "     %.4f  %@ in %@ (frequency %d, length %d)\n", c.score, c.clause, c.field,
            c.frequency, c.fieldLength)
        }
      }
    }
    return s
  }

  func render(_ snippet: Snippet, color: Bool) -> String {
    guard color else { return snippet.text.replacingOccurrences(of: "\n", with: " ") }
    let bytes = Array(snippet.text.utf8)
    var out: [UInt8] = []
    var cursor = 0
    for h in snippet.highlights {
      let lo = h.start - snippet.start
      let hi = h.end - snippet.start
      guard lo >= cursor, hi <= bytes.count else { continue }
      out += bytes[cursor..<lo] + Array("\u{1B}[1m".utf8) + bytes[lo..<hi] + Array("\u{1B}[0m".utf8)
      cursor = hi
    }
    out += bytes[cursor...]
    return String(decoding: out, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
  }

  func runBatch(_ searcher: Searcher, file: String, options: SearchOptions) throws {
    let queries = try library { try QueryFile.read(file) }
    var options = options
    options.snippets = format == "trec" ? 0 : options.snippets
    options.fetchDocuments = format != "trec"
    options.exactTotal = false
    var out = ""
    for (qid, text) in queries {
      let results = try library { try searcher.search(text, limit: limit, offset: offset, options: options) }
      if format == "trec" {
        for (rank, hit) in results.hits.enumerated() {
          out += "\(qid) Q0 \(hit.id) \(offset + rank + 1) \(String(format: "%.6f", hit.score)) \(runTag)\n"
        }
      } else {
        var w = JSONWriter()
        w.object { o in
          o.key("qid")
          o.string(qid)
          o.key("query")
          o.string(text)
          o.key("total")
          o.number(results.total)
          o.key("hits")
          o.array { a in
            for hit in results.hits { a.object { writeHit(hit, &$0, Set(["id", "score", "title"])) } }
          }
        }
        out += w.output + "\n"
      }
      if out.utf8.count > 1 << 16 {
        Terminal.out(out)
        out = ""
      }
    }
    Terminal.out(out)
  }
}

/// With the default index (no --index, no DOSSIER_INDEX) and none built yet, builds Index/ from
/// the bundled samples, saying so on standard error.
func ensureDefaultIndex(_ index: IndexOption) throws {
  guard index.path == "Index", ProcessInfo.processInfo.environment["DOSSIER_INDEX"] == nil,
    !FileManager.default.fileExists(atPath: "Index/manifest"),
    FileManager.default.fileExists(atPath: "Samples/reports")
  else { return }
  Terminal.error("building Index/ from Samples/reports (first use)...")
  let job = IndexJob(indexPath: "Index", options: IndexJob.Options(paths: ["Samples/reports"]))
  let summary = try library { try job.run() }
  Terminal.error("indexed \(summary.liveDocuments) documents")
}

struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Print a stored document by id.",
    discussion: "Exit code 1 when there is no document with that id.")

  @OptionGroup var index: IndexOption

  @Argument(help: "The document id.")
  var id: String

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    try ensureDefaultIndex(index)
    let searcher = try library { try Searcher(path: index.path) }
    guard let doc = try library({ try searcher.document(id: id) }) else {
      throw CLIFailure(status: .noResults, message: "no document with id \(id)")
    }
    if json {
      var w = JSONWriter()
      doc.writeJSON(to: &w)
      Terminal.out(w.output + "\n")
      return
    }
    var s = "== \(doc.id)  [\(doc.type.rawValue)]\nTitle: \(doc.title)\n"
    for key in doc.metadata.keys.sorted() { s += "\(key.capitalized): \(doc.metadata[key]!)\n" }
    if let path = doc.path { s += "Path: \(path)\n" }
    if !doc.headings.isEmpty {
      s += "Headings:\n"
      for h in doc.headings { s += String(repeating: "  ", count: max(0, h.level - 1)) + "- \(h.text)\n" }
    }
    s += "\n" + doc.blocks.joined(separator: "\n\n") + "\n"
    Terminal.out(s)
  }
}

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Score a ranking against relevance judgments (nDCG@10, MAP, P@10, R@100, R@1000).",
    discussion: """
      Runs --queries on the index (top 1000 each) or reads --run (TREC format), and scores it
      against --qrels (TSV query-id, corpus-id, score as in ../shared/eval, or TREC qrels) with
      trec_eval -c semantics: a judged query with no hits counts as 0.
      """
  )

  @OptionGroup var index: IndexOption

  @Option(help: "Queries to run (TSV id<TAB>query, or JSON Lines with _id and text).")
  var queries: String?

  @Option(name: .customLong("run"), help: "A TREC run to score instead of running queries.")
  var runFile: String?

  @Option(help: "Relevance judgments.")
  var qrels: String

  @Option(help: "Hits per query.")
  var limit: Int = 1000

  @Flag(help: "All words must match.")
  var and = false

  @Flag(help: "Take each query as plain words, without any syntax (as the reference runs do).")
  var plain = false

  @Option(help: "BM25 k1 for the queries (default: the index's).")
  var k1: Double?

  @Option(help: "BM25 b for the queries (default: the index's).")
  var b: Double?

  @Option(help: "BM25F weight of titles for the queries (default: the index's).")
  var titleWeight: Double?

  @Option(help: "BM25F weight of headings for the queries (default: the index's).")
  var headingsWeight: Double?

  @Flag(help: "Print JSON.")
  var json = false

  func validate() throws {
    if (queries == nil) == (runFile == nil) { throw ValidationError("give either --queries or --run") }
  }

  func run() throws {
    let judgments: Qrels
    do { judgments = try Qrels(contentsOfFile: qrels) } catch {
      throw CLIFailure(status: .ioError, message: error.description)
    }
    let ranking: TrecRun
    if let runFile {
      do { ranking = try TrecRun(contentsOfFile: runFile) } catch {
        throw CLIFailure(status: .ioError, message: error.description)
      }
    } else {
      try ensureDefaultIndex(index)
      let searcher = try library { try Searcher(path: index.path) }
      var options = SearchOptions()
      options.snippets = 0
      options.fetchDocuments = false
      options.exactTotal = false
      options.defaultOperator = and ? .and : .or
      options.plainWords = plain
      options.k1 = k1
      options.b = b
      options.titleWeight = titleWeight
      options.headingsWeight = headingsWeight
      var hits: [String: [TrecRun.Hit]] = [:]
      for (qid, text) in try library({ try QueryFile.read(queries!) }) {
        let results = try library { try searcher.search(text, limit: limit, options: options) }
        hits[qid] = results.hits.map { TrecRun.Hit(document: $0.id, score: $0.score) }
      }
      ranking = TrecRun(hits)
    }
    let report = EvaluationReport(run: ranking, qrels: judgments)
    if json {
      var w = JSONWriter()
      w.object { o in
        o.key("queries")
        o.number(report.perQuery.count)
        for (name, value) in report.mean.named {
          o.key(name)
          o.number((value * 10_000).rounded() / 10_000)
        }
      }
      Terminal.out(w.output + "\n")
    } else {
      var s = "\(report.perQuery.count) judged queries\n"
      for (name, value) in report.mean.named {
        s += name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%.4f\n", value)
      }
      Terminal.out(s)
    }
  }
}
