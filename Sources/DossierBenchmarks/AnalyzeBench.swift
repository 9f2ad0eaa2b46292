import ArgumentParser
import Dossier
import Foundation

/// `dossier-bench analyze`: analysis throughput, one thread, per profile, in MB of text per
/// second, on a TSV corpus `id<TAB>text` such as the extracted Debian documentation from
/// `peers.py extract` (../shared/bench/README.md). Each document is analyzed as the index
/// writer will: one session per thread, the language detected (standard) or fixed (English).
struct AnalyzeBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Analyzer throughput per profile (MB of text per second, one thread).")

  @Option(help: "TSV corpus `id<TAB>text` (peers.py extract writes one).")
  var tsv = "/tmp/docs.tsv"

  @Option(help: "Repetitions per profile (the best is reported; the first also warms the caches).")
  var reps = 3

  @Option(help: "Profiles to measure.")
  var profile: [String] = ["standard", "lucene-english"]

  @Flag(help: "Also time the language detector alone.")
  var detector = false

  @Flag(help: "Also time the UAX #29 tokenizer alone (best of the repetitions).")
  var tokenizer = false

  @Option(help: "Python with the peers installed; with it, tantivy indexes the same corpus in this run.")
  var peerPython: String?

  @Option(help: "peers.py of ../shared/bench.")
  var peers = "../shared/bench/peers.py"

  func run() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: tsv))
    var docs: [[UInt8]] = []
    for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
      guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
      // The TSV escapes newlines and tabs as \n and \t; the analyzer treats both as spaces.
      docs.append(Array(line[(tab + 1)...]))
    }
    let bytes = docs.reduce(0) { $0 + $1.count }
    let mb = Double(bytes) / 1e6
    print("corpus: \(docs.count) docs, \(String(format: "%.1f", mb)) MB of text")
    var rates: [String: Double] = [:]
    for name in profile {
      guard let p = Analyzer.Profile(rawValue: name) else { throw ValidationError("unknown profile \(name)") }
      let analyzer = Analyzer(profile: p)
      var best = Double.infinity
      var tokens = 0
      var languages: [String: Int] = [:]
      for rep in 0..<reps {
        let session = AnalysisSession(analyzer)
        var out = AnalyzedText()
        tokens = 0
        let t0 = Date()
        for doc in docs {
          out.removeAll()
          doc.withUnsafeBufferPointer { text in
            let language = analyzer.language(named: nil, text: text)
            if rep == 0 { languages[language.code, default: 0] += 1 }
            session.analyze(text, language: language, into: &out)
          }
          tokens += out.count
        }
        best = min(best, Date().timeIntervalSince(t0))
      }
      rates[name] = mb / best
      let langs = languages.sorted { $0.value > $1.value }.prefix(5).map { "\($0.key) \($0.value)" }
      print(
        "analyze \(name): \(String(format: "%.1f", mb / best)) MB/s, \(tokens) tokens, "
          + "\(String(format: "%.1f", Double(tokens) / best / 1e6)) M tokens/s (languages: \(langs.joined(separator: ", ")))"
      )
    }
    if let peerPython {
      // tantivy's whole indexing (its analysis included), one thread, on the same text.
      let work = NSTemporaryDirectory() + "dossier-bench-tantivy"
      let output = try runProcess(
        peerPython,
        [
          peers, "bench", "--corpus", tsv, "--queries", "/dev/null", "--work", work, "--out", work + ".json",
          "--peers", "tantivy:1", "--no-query", "--reps", "1",
        ])
      guard
        let line = output.split(separator: "\n").first(where: { $0.contains("\"text_MBps\"") }),
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let tantivy = object["text_MBps"] as? Double
      else { throw ValidationError("no tantivy result in peers.py output:\n\(output)") }
      print("peer tantivy:1 indexing, analysis included: \(String(format: "%.1f", tantivy)) MB/s")
      for (name, rate) in rates.sorted(by: { $0.key > $1.key }) {
        print("ratio analyze \(name) / tantivy indexing: \(String(format: "%.2f", rate / tantivy))")
      }
    }
    if tokenizer {
      var best = Double.infinity
      var tokens = 0
      for _ in 0..<reps {
        tokens = 0
        let t0 = Date()
        for doc in docs {
          doc.withUnsafeBufferPointer {
            var words = _WordTokenizer($0)
            while words.next() != nil { tokens += 1 }
          }
        }
        best = min(best, Date().timeIntervalSince(t0))
      }
      print(
        "tokenizer: \(String(format: "%.1f", mb / best)) MB/s, \(tokens) tokens, "
          + "\(String(format: "%.1f", Double(tokens) / best / 1e6)) M tokens/s")
    }
    if detector {
      let t0 = Date()
      var found = 0
      for doc in docs {
        doc.withUnsafeBufferPointer { if LanguageDetector.detect($0) != nil { found += 1 } }
      }
      let t = Date().timeIntervalSince(t0)
      print(
        "detector: \(String(format: "%.1f", Double(docs.count) / t / 1000)) k docs/s, \(found) of \(docs.count) told"
      )
    }
  }
}

/// Runs a program and returns its standard output and error, together.
func runProcess(_ executable: String, _ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}
