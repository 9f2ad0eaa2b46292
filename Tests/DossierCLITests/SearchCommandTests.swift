import DossierTestSupport
import Foundation
import Testing

@Suite("dossier search, show and eval, end to end")
struct SearchCommandTests {
  /// An index of the samples, built once.
  static let index: String = {
    let path = FileManager.default.temporaryDirectory.path + "/dossier-cli-search-" + UUID().uuidString
    _ = try? CLIRunner.run(["index", "--index", path, "Samples/reports"])
    return path
  }()

  @Test func jsonHasTheDocumentedShape() throws {
    let out = try CLIRunner.run(["search", "--index", Self.index, "--json", "facial recognition Ecuador"])
    #expect(out.status == 0, "\(out.stderr)")
    let object = try #require(out.jsonLines.first)
    #expect(object["query"] as? String == "facial recognition Ecuador")
    #expect((object["total"] as? Int ?? 0) > 5)
    #expect(object["took_ms"] is Double)
    let hits = try #require(object["hits"] as? [[String: Any]])
    #expect(hits.count == 10)
    #expect(hits[0]["id"] as? String == "ecuador-ecu911.html")
    #expect((hits[0]["title"] as? String)?.contains("ECU 911") == true)
    #expect(hits[0]["score"] is Double)
    let snippets = try #require(hits[0]["snippets"] as? [[String: Any]])
    #expect(!snippets.isEmpty)
    let highlights = try #require(snippets[0]["highlights"] as? [[String: Any]])
    #expect(!highlights.isEmpty)
    #expect(Set(highlights[0].keys) == ["start", "end", "char_start", "char_end"])
  }

  @Test func phrasesFieldsAndExclusions() throws {
    func ids(_ args: [String]) throws -> [String] {
      try CLIRunner.run(["search", "--index", Self.index, "--jsonl", "--limit", "50"] + args).jsonLines
        .compactMap {
          $0["id"] as? String
        }
    }
    let uganda = try ids([#""safe city" Uganda"#])
    #expect(uganda.first == "uganda-cctv-win1252.html")
    // Exactly the four samples with Pegasus in their title.
    #expect(
      Set(try ids(["title:Pegasus"]))
        == ["nso-pegasus-spyware.html", "es-mexico-pegasus.html", "brief-012", "spyware-market-broken.html"])
    let huawei = try ids(["Huawei -Kenya"])
    #expect(!huawei.isEmpty && !huawei.contains("safe-city-nairobi.html"))
    let and = try ids(["--and", "Huawei", "Kenya"])
    #expect(and.contains("safe-city-nairobi.html"))
    #expect(try ids(["lang:ru"]).count == 3)
  }

  @Test func noResultsAndSyntaxErrorsHaveTheirExitCodes() throws {
    let none = try CLIRunner.run(["search", "--index", Self.index, "xylophonequartz"])
    #expect(none.status == 1)
    #expect(none.stdout.hasPrefix("0 results"))
    let lenient = try CLIRunner.run(["search", "--index", Self.index, #"safe AND (city"#])
    #expect(lenient.status == 0)
    let strict = try CLIRunner.run(["search", "--index", Self.index, "--strict", #"safe "city"#])
    #expect(strict.status == 2)
    #expect(strict.stderr.contains("character 5"))
  }

  @Test func explainShowsContributions() throws {
    let out = try CLIRunner.run([
      "search", "--index", Self.index, "--json", "--explain", "--limit", "1", "Nairobi",
    ])
    let hit = try #require((out.jsonLines.first?["hits"] as? [[String: Any]])?.first)
    let parts = try #require(hit["explanation"] as? [[String: Any]])
    let sum = parts.compactMap { $0["score"] as? Double }.reduce(0, +)
    #expect(abs(sum - (hit["score"] as? Double ?? 0)) < 1e-6)
    #expect(parts.contains { $0["field"] as? String == "title" })
  }

  @Test func batchQueriesAsATrecRunAndEvaluation() throws {
    let t = try TempFolder()
    let run = try CLIRunner.run([
      "search", "--index", Self.index, "--queries", "Samples/queries.tsv", "--format", "trec", "--run-tag",
      "t1",
      "--limit", "100",
    ])
    #expect(run.status == 0)
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.first?.split(separator: " ").count == 6)
    #expect(lines.first?.hasPrefix("q01 Q0 safe-city-nairobi.html 1 ") == true)
    #expect(lines.allSatisfy { $0.hasSuffix(" t1") })
    let file = try t.write("run.txt", run.stdout)
    let scored = try CLIRunner.run(["eval", "--run", file, "--qrels", "Samples/qrels.tsv", "--json"])
    let direct = try CLIRunner.run([
      "eval", "--index", Self.index, "--queries", "Samples/queries.tsv", "--qrels", "Samples/qrels.tsv",
      "--json",
      "--limit", "100",
    ])
    let a = try #require(scored.jsonLines.first)
    let b = try #require(direct.jsonLines.first)
    #expect(a["nDCG@10"] as? Double == b["nDCG@10"] as? Double)
    #expect((a["nDCG@10"] as? Double ?? 0) >= 0.85)
  }

  @Test func showPrintsTheStoredDocument() throws {
    let out = try CLIRunner.run(["show", "--index", Self.index, "--json", "ru-sorm.html"])
    #expect(out.status == 0)
    let doc = try #require(out.jsonLines.first)
    #expect((doc["title"] as? String)?.hasPrefix("СОРМ") == true)
    #expect((doc["metadata"] as? [String: String])?["lang"] == "ru")
    #expect(try CLIRunner.run(["show", "--index", Self.index, "nope"]).status == 1)
  }

  @Test func theDefaultIndexIsBuiltFromTheSamplesOnFirstUse() throws {
    let t = try TempFolder()
    try FileManager.default.createDirectory(atPath: t.path + "/Samples", withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: CLIRunner.repositoryRoot + "/Samples/reports", toPath: t.path + "/Samples/reports")
    var env = ProcessInfo.processInfo.environment
    env["DOSSIER_INDEX"] = nil
    let first = try CLIRunner.run(["search", "facial recognition Ecuador"], cwd: t.path, environment: [:])
    #expect(first.status == 0)
    #expect(first.stderr.contains("building Index/ from Samples/reports"))
    #expect(first.stdout.contains("ecuador-ecu911.html"))
    let second = try CLIRunner.run(["search", "facial recognition Ecuador"], cwd: t.path)
    #expect(!second.stderr.contains("building"))
  }
}
