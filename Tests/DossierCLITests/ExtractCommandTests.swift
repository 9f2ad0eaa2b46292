import DossierTestSupport
import Foundation
import Testing

@Suite("dossier extract, end to end")
struct ExtractCommandTests {
  @Test func jsonOutputHasTheDocumentedFields() throws {
    let t = try TempFolder()
    try t.write(
      "notes/brief.md", "# Cameras in Quito\n\n## Scope\n\nECU-911 links *cameras* across the country.\n")
    let out = try CLIRunner.run(["extract", "--json", t.path])
    #expect(out.status == 0)
    let objects = out.jsonLines
    #expect(objects.count == 1)
    let doc = try #require(objects.first)
    #expect(doc["id"] as? String == "notes/brief.md")
    #expect(doc["type"] as? String == "markdown")
    #expect(doc["encoding"] as? String == "utf-8")
    #expect(doc["title"] as? String == "Cameras in Quito")
    #expect(doc["blocks"] as? [String] == ["ECU-911 links cameras across the country."])
    #expect((doc["headings"] as? [[String: Any]])?.first?["text"] as? String == "Scope")
    #expect((doc["headings"] as? [[String: Any]])?.first?["level"] as? Int == 2)
    #expect(doc["metadata"] is [String: Any])
    #expect(doc["warnings"] as? [String] == [])
  }

  @Test func readableOutputShowsTitleAndBlocks() throws {
    let t = try TempFolder()
    let file = try t.write("a.txt", "Safe City\n\nAuthor: N. O.\n\nCameras went up in 2015.")
    let out = try CLIRunner.run(["extract", file])
    #expect(out.status == 0)
    #expect(out.stdout.contains("== a.txt  [text, utf-8]\nTitle: Safe City\nAuthor: N. O.\n"))
    #expect(out.stdout.contains("Cameras went up in 2015."))
  }

  @Test func noPathsIsAUsageError() throws {
    let out = try CLIRunner.run(["extract"])
    #expect(out.status == 2)
    #expect(out.stderr.contains("at least one file"))
    #expect(out.stdout.isEmpty)
  }

  @Test func unknownOptionIsAUsageError() throws {
    #expect(try CLIRunner.run(["extract", "--no-such-flag", "x"]).status == 2)
    #expect(try CLIRunner.run(["extract", "--max-file-size", "lots", "x"]).status == 2)
    #expect(try CLIRunner.run(["frobnicate"]).status == 2)
  }

  @Test func missingAndBinaryFilesExitFiveAndTheRestIsStillExtracted() throws {
    let t = try TempFolder()
    try t.write("good.txt", "Good\n\ntext")
    try t.write("blob.bin", bytes: [0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 1])
    let out = try CLIRunner.run(["extract", "--json", t.path, t.path + "/missing.txt"])
    #expect(out.status == 5)
    #expect(out.stderr.contains("blob.bin: binary"))
    #expect(out.stderr.contains("missing.txt: No such file or directory"))
    let objects = out.jsonLines
    #expect(objects.contains { $0["id"] as? String == "blob.bin" && $0["reason"] as? String == "binary" })
    #expect(objects.contains { $0["title"] as? String == "Good" })
  }

  @Test func oversizedFileIsSkippedWithItsReason() throws {
    let t = try TempFolder()
    let file = try t.write("big.txt", String(repeating: "word ", count: 1000))
    let out = try CLIRunner.run(["extract", "--max-file-size", "1K", file])
    #expect(out.status == 5)
    #expect(out.stderr.contains("too-large: 5000 bytes is over the limit of 1024 bytes"))
  }

  @Test func jsonLinesFromStandardInputWithABadLine() throws {
    let input =
      "{\"id\":\"n1\",\"title\":\"One\",\"text\":\"first\"}\n{oops\n{\"id\":\"n2\",\"text\":\"second\"}\n"
    let out = try CLIRunner.run(["extract", "--json", "-"], stdin: input)
    #expect(out.status == 5)
    #expect(out.stderr.contains("-: line 2: not valid JSON"))
    #expect(out.jsonLines.map { $0["id"] as? String } == ["n1", "n2"])
    #expect(out.jsonLines.first?["type"] as? String == "jsonl")
  }

  @Test func windows1252TextIsDecoded() throws {
    let t = try TempFolder()
    // "Caf\u{E9} \u{201C}x\u{201D}" in Windows-1252.
    let file = try t.write("w.txt", bytes: [0x43, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x78, 0x94])
    let out = try CLIRunner.run(["extract", "--json", file])
    #expect(out.status == 0)
    #expect(out.jsonLines.first?["title"] as? String == "Café “x”")
    #expect(out.jsonLines.first?["encoding"] as? String == "windows-1252")
  }
}
