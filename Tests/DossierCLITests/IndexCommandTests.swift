import DossierTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `dossier index`, `stats`, `check`, `remove` and `merge`, run as a user runs them.
@Suite("dossier index and its maintenance verbs, end to end")
struct IndexCommandTests {
  static func summary(_ out: CLIRunner.Output) throws -> [String: Any] {
    try #require(out.jsonLines.last)
  }

  @Test func indexingTheSamplesThenRunningAgain() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    let first = try CLIRunner.run(["index", "--index", index, "--json", "Samples/reports"])
    #expect(first.status == 0, "\(first.stderr)")
    let s1 = try Self.summary(first)
    #expect(s1["created"] as? Bool == true)
    #expect(s1["added"] as? Int == 41)
    #expect(s1["failed"] as? Int == 0)
    // 40 files give one document each, the JSON Lines file fifteen.
    #expect(s1["documents"] as? Int == 55)
    let second = try CLIRunner.run(["index", "--index", index, "--json", "Samples/reports"])
    let s2 = try Self.summary(second)
    #expect(second.status == 0)
    #expect(s2["unchanged"] as? Int == 41)
    #expect(s2["added"] as? Int == 0 && s2["documents_written"] as? Int == 0)
    // The same folder named another way is the same files.
    let third = try CLIRunner.run(["index", "--index", index, "--json", "./Samples/../Samples/reports"])
    #expect(try Self.summary(third)["unchanged"] as? Int == 41)

    let stats = try CLIRunner.run(["stats", "--index", index, "--json"])
    #expect(stats.status == 0)
    let object = try #require(stats.jsonLines.first)
    #expect(object["documents"] as? Int == 55)
    #expect(object["source_files"] as? Int == 41)
    // The run that found nothing to do published no new commit.
    #expect(object["generation"] as? Int == 1)
    #expect(s2["commits"] as? Int == 0)
    #expect(object["profile"] as? String == "standard")
    #expect(object["k1"] as? Double == 1.2)
    let fields = try #require(object["fields"] as? [[String: Any]])
    #expect(fields.first { $0["name"] as? String == "lang" }?["terms"] as? Int == 6)
    let bytes = try #require(object["bytes"] as? [String: Int])
    #expect(bytes["doc"]! > 0 && bytes["store"]! > 0 && bytes["manifest"]! > 0)

    let check = try CLIRunner.run(["check", "--index", index, "--json"])
    #expect(check.status == 0)
    #expect(check.jsonLines.first?["documents"] as? Int == 55)
  }

  @Test func settingsAreTakenByTheRunThatCreatesTheIndex() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    try t.write("docs/a.txt", "Cameras in Quito\n\nThe ECU-911 system links cameras.")
    let first = try CLIRunner.run([
      "index", "--index", index, "--profile", "lucene-english", "--k1", "1.2", "--b", "0.75",
      "--single-field",
      t.path + "/docs",
    ])
    #expect(first.status == 0)
    _ = try CLIRunner.run(["index", "--index", index, "--profile", "standard", t.path + "/docs"])
    let stats = try #require(try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first)
    #expect(stats["profile"] as? String == "lucene-english")
    #expect(stats["k1"] as? Double == 1.2 && stats["b"] as? Double == 0.75)
    #expect(stats["single_field"] as? Bool == true)
    let fields = try #require(stats["fields"] as? [[String: Any]])
    #expect(fields.first { $0["name"] as? String == "title" }?["tokens"] as? Int == 0)
  }

  /// With two workers and a batch of 64 files, each worker builds a segment of its own; a
  /// second run over the same files changes nothing, and a run with three files makes one.
  @Test func workersBuildASegmentEach() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    for i in 0..<64 { try t.write("docs/r\(i).txt", "Report \(i)\n\nCameras and drones, item number w\(i).") }
    let first = try CLIRunner.run(["index", "--index", index, "--threads", "2", "--json", t.path + "/docs"])
    #expect(first.status == 0)
    var stats = try #require(try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first)
    #expect(stats["documents"] as? Int == 64)
    #expect((stats["segments"] as? [Any])?.count == 2)
    // Every document is there once, whichever lane built it; terms are counted once.
    for i in [0, 31, 32, 63] {
      let hit = try CLIRunner.run(["search", "--index", index, "--jsonl", "w\(i)"])
      #expect(hit.status == 0 && hit.jsonLines.count == 1, "w\(i)")
    }
    let fields = try #require(stats["fields"] as? [[String: Any]])
    #expect(fields.first { $0["name"] as? String == "lang" }?["terms"] as? Int == 1)
    #expect(try CLIRunner.run(["check", "--index", index]).status == 0)
    let again = try CLIRunner.run(["index", "--index", index, "--threads", "2", "--json", t.path + "/docs"])
    #expect(try Self.summary(again)["unchanged"] as? Int == 64)
    for i in 0..<3 { try t.write("more/m\(i).txt", "More \(i)\n\nAnother report.") }
    #expect(try CLIRunner.run(["index", "--index", index, "--threads", "2", t.path + "/more"]).status == 0)
    stats = try #require(try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first)
    #expect(stats["documents"] as? Int == 67)
    #expect((stats["segments"] as? [Any])?.count == 3)
  }

  @Test func changedTouchedRemovedAndNewFiles() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    let a = try t.write("docs/a.txt", "Report A\n\nFirst version about cameras.")
    let b = try t.write("docs/b.txt", "Report B\n\nAbout spyware.")
    let c = try t.write("docs/c.txt", "Report C\n\nAbout interception.")
    #expect(try CLIRunner.run(["index", "--index", index, t.path + "/docs"]).status == 0)
    try "Report A\n\nSecond version about drones.".write(toFile: a, atomically: false, encoding: .utf8)
    // b: same bytes, new modification time.
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: 100)], ofItemAtPath: b)
    try FileManager.default.removeItem(atPath: c)
    try t.write("docs/d.txt", "Report D\n\nNew.")
    let dry = try CLIRunner.run([
      "index", "--index", index, "--json", "--dry-run", "--prune", t.path + "/docs",
    ])
    let plan = try Self.summary(dry)
    #expect(plan["dry_run"] as? Bool == true)
    #expect(plan["added"] as? Int == 1 && plan["updated"] as? Int == 2 && plan["removed"] as? Int == 1)
    let run = try CLIRunner.run(["index", "--index", index, "--json", "--prune", t.path + "/docs"])
    let s = try Self.summary(run)
    #expect(run.status == 0)
    #expect(s["added"] as? Int == 1)
    #expect(s["updated"] as? Int == 1)
    // b's content hash is unchanged: not re-indexed.
    #expect(s["unchanged"] as? Int == 1)
    #expect(s["removed"] as? Int == 1)
    #expect(s["documents"] as? Int == 3)
    #expect(try CLIRunner.run(["check", "--index", index]).status == 0)
  }

  @Test func failuresAreRecordedAndRetriedOnlyWhenAsked() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    try t.write("docs/good.txt", "Fine\n\nText.")
    try t.write("docs/bad.txt", bytes: [0x00, 0x01, 0x02, 0xFF, 0x00] + Array(repeating: 0, count: 600))
    let first = try CLIRunner.run(["index", "--index", index, "--json", t.path + "/docs"])
    #expect(first.status == 5)
    let s1 = try Self.summary(first)
    #expect(s1["failed"] as? Int == 1 && s1["added"] as? Int == 1)
    let failures = try #require(s1["failures"] as? [[String: Any]])
    #expect((failures.first?["path"] as? String)?.hasSuffix("bad.txt") == true)
    let again = try CLIRunner.run(["index", "--index", index, "--json", t.path + "/docs"])
    #expect(again.status == 0)
    #expect(try Self.summary(again)["unchanged"] as? Int == 2)
    let retry = try CLIRunner.run(["index", "--index", index, "--json", "--retry-failed", t.path + "/docs"])
    #expect(retry.status == 5)
    #expect(try Self.summary(retry)["failed"] as? Int == 1)
    let stats = try #require(try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first)
    #expect(stats["failed_source_files"] as? Int == 1)
  }

  @Test func jsonLinesFromStandardInputAndRemoval() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    let input = """
      {"id": "n1", "title": "One", "text": "Cameras in Quito."}
      {"id": "n2", "title": "Two", "text": "Spyware in Mexico."}

      """
    let first = try CLIRunner.run(["index", "--index", index, "--json", "--jsonl", "-"], stdin: input)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try Self.summary(first)["added"] as? Int == 2)
    let update = try CLIRunner.run(
      ["index", "--index", index, "--json", "--jsonl", "-"],
      stdin: #"{"id": "n1", "text": "Replaced."}"# + "\n")
    let s = try Self.summary(update)
    #expect(s["updated"] as? Int == 1 && s["documents"] as? Int == 2)
    #expect(try CLIRunner.run(["remove", "--index", index, "n2"]).status == 0)
    let none = try CLIRunner.run(["remove", "--index", index, "n2"])
    #expect(none.status == 1)
    #expect(
      try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first?["documents"] as? Int == 1)
    #expect(try CLIRunner.run(["merge", "--index", index]).status == 0)
    let stats = try #require(try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first)
    #expect((stats["segments"] as? [[String: Any]])?.count == 1)
    #expect(stats["deleted"] as? Int == 0)
  }

  @Test func removeByPathDeletesTheFilesDocuments() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    let feed = try t.write(
      "docs/feed.jsonl", #"{"id": "x1", "text": "a"}"# + "\n" + #"{"id": "x2", "text": "b"}"# + "\n")
    try t.write("docs/other.txt", "Other\n\nText.")
    #expect(try CLIRunner.run(["index", "--index", index, t.path + "/docs"]).status == 0)
    let out = try CLIRunner.run(["remove", "--index", index, feed])
    #expect(out.status == 0)
    #expect(out.stderr.contains("removed 2 documents"))
    #expect(
      try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first?["documents"] as? Int == 1)
  }

  @Test func errorsHaveTheirExitCodes() throws {
    let t = try TempFolder()
    let missing = try CLIRunner.run(["stats", "--index", t.path + "/nothing"])
    #expect(missing.status == 5)
    #expect(missing.stderr.contains("no index at"))
    #expect(try CLIRunner.run(["index", "--index", t.path + "/ix"]).status == 2)
    #expect(try CLIRunner.run(["index", "--index", t.path + "/ix", "--profile", "x", "a"]).status == 2)
    #expect(try CLIRunner.run(["check", "--index", t.path + "/nothing"]).status == 5)
  }
}
